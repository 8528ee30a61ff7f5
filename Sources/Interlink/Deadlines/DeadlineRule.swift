/// How long the law or the province gives: in working days or working hours.
public enum DeadlineRule: Sendable, Hashable, CustomStringConvertible {
    /// `N` working days of the calendar's length (8 hours by default); 0 means the same working day.
    case workingDays(Int)
    /// Working hours, counted inside the sessions only.
    case workingHours(Int)

    /// The due time for a clock started at `start`.
    public func due(from start: Timestamp, in calendar: WorkingCalendar) -> Timestamp {
        switch self {
        case .workingDays(0): calendar.endOfWorkingDay(from: start)
        case .workingDays(let days): calendar.adding(working: Int64(days) * calendar.dayLength, to: start)
        case .workingHours(let hours): calendar.adding(working: Int64(hours) * 3_600_000, to: start)
        }
    }

    /// `3 working days`, `the same working day`, `4 working hours`.
    public var description: String {
        switch self {
        case .workingDays(0): "the same working day"
        case .workingDays(1): "1 working day"
        case .workingDays(let days): "\(days) working days"
        case .workingHours(1): "1 working hour"
        case .workingHours(let hours): "\(hours) working hours"
        }
    }
}

extension DeadlineRule {
    /// `{"workingDays": N}` or `{"workingHours": N}`, exactly one of them.
    init?(reading object: ConfigObjectReader?) {
        guard let object else { return nil }
        defer { object.finish() }
        let days = object.value("workingDays") != nil ? object.int("workingDays", default: 0, in: 0...3_650) : nil
        let hours = object.value("workingHours") != nil ? object.int("workingHours", default: 0, in: 1...29_200) : nil
        switch (days, hours) {
        case (let days?, nil): self = .workingDays(days)
        case (nil, let hours?): self = .workingHours(hours)
        default:
            object.report("give either workingDays or workingHours, e.g. {\"workingDays\": 3}")
            return nil
        }
    }
}
