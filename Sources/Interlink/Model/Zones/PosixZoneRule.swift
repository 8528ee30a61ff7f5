/// The rule a TZif footer gives for instants after the file's last transition, in POSIX `TZ`
/// form with RFC 8536's extensions: `<+07>-7`, `CET-1CEST,M3.5.0,M10.5.0/3`,
/// `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`, `IST-2IDT,M3.4.4/26,M10.5.0`.
struct PosixZoneRule: Sendable {
    /// A day of the year a change happens on.
    enum Day: Sendable {
        /// `Jn`: day 1 through 365, February 29 never counted.
        case julian(Int)
        /// `n`: day 0 through 365, February 29 counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 is Sunday) of week `w` (5 is the last) of month `m`.
        case monthWeek(month: Int, week: Int, weekday: Int)
    }

    /// A change: its day and the local time of day, in seconds (may be negative or past 24 h).
    struct Change: Sendable {
        let day: Day
        let time: Int
    }

    /// Seconds east of UTC outside daylight saving time.
    let standardOffset: Int
    /// Daylight saving time's offset and when it starts and ends, if the zone keeps it.
    let daylight: (offset: Int, start: Change, end: Change)?

    init?(_ text: String) {
        var reader = PosixRuleReader(Array(text.utf8))
        guard reader.name(), let standard = reader.offset() else { return nil }
        standardOffset = -standard
        if reader.atEnd {
            daylight = nil
            return
        }
        guard reader.name() else { return nil }
        let offset = reader.startsOffset ? reader.offset().map { -$0 } : standardOffset + 3_600
        guard let offset else { return nil }
        // POSIX leaves the default rule to the implementation; the United States' is the usual one.
        let changes = reader.atEnd ? (Change(day: .monthWeek(month: 3, week: 2, weekday: 0), time: 7_200),
                                      Change(day: .monthWeek(month: 11, week: 1, weekday: 0), time: 7_200))
                                   : reader.changes()
        guard let changes, reader.atEnd else { return nil }
        daylight = (offset, changes.0, changes.1)
    }

    /// Seconds east of UTC at `seconds` since the epoch.
    func offsetSeconds(at seconds: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = CalendarDate(daysSinceEpoch: ZoneRules.floorDivide(seconds + Int64(standardOffset), 86_400)).year
        let start = Self.localSeconds(daylight.start, year: year) - Int64(standardOffset)
        let end = Self.localSeconds(daylight.end, year: year) - Int64(daylight.offset)
        let inDaylight = start < end ? (start <= seconds && seconds < end) : !(end <= seconds && seconds < start)
        return inDaylight ? daylight.offset : standardOffset
    }

    /// The change's local moment in `year`, as seconds since the epoch read as if the clock were UTC.
    private static func localSeconds(_ change: Change, year: Int) -> Int64 {
        let january = CalendarDate(year: year, month: 1, day: 1).daysSinceEpoch
        let isLeap = CalendarDate.daysIn(month: 2, year: year) == 29
        let day: Int64
        switch change.day {
        case .julian(let number): day = january + Int64(number - 1 + (isLeap && number >= 60 ? 1 : 0))
        case .zeroBased(let number): day = january + Int64(number)
        case .monthWeek(let month, let week, let weekday):
            let first = CalendarDate(year: year, month: month, day: 1).daysSinceEpoch
            // 1970-01-01 was a Thursday (weekday 4).
            let firstWeekday = Int((first % 7 + 7 + 4) % 7)
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            while dayOfMonth > CalendarDate.daysIn(month: month, year: year) { dayOfMonth -= 7 }
            day = first + Int64(dayOfMonth - 1)
        }
        return day * 86_400 + Int64(change.time)
    }
}
