import Interlink

/// `interlinkctl deadline`: the working-day calendar as the daemon counts, for checking it.
enum DeadlineCommand: CtlCommand {
    static let name = "deadline"
    static let summary = "when a deadline in working days or hours falls, by the calendar"
    static let help = """
        Usage: interlinkctl deadline --from T (--working-days N | --working-hours N) [--cutoff HH:MM] [--json]

        Counts as the daemon does: the clock starts at T, or at the next session when T is outside
        one, or on the next working day when T is after the cut-off (calendar.cutoff, 15:00 by
        default; --cutoff overrides it, as routes[].cutoff does) or on a day off. Only time inside
        the sessions counts (07:30–11:30 and 13:00–17:00 by default), weekends and public holidays
        are skipped and declared compensation days are worked, from the holiday data of the config's
        calendar (calendar-vn.json). --working-days 0 means the same working day. Prints the clock
        start, the due time and every day off or worked weekend day in between. T is as for `log`.

        Examples:
          interlinkctl deadline --from "2026-04-24 15:30" --working-days 3
          interlinkctl deadline --from now --working-hours 4
          interlinkctl deadline --from 2026-02-13 --working-days 1 --cutoff 11:00 --json
        """
    static let flags: Set<String> = []
    static let options: Set<String> = ["from", "working-days", "working-hours", "cutoff"]

    static func run(_ context: Context) async throws -> Int32 {
        guard let from = try Commands.time(context, "from") else { throw UsageError("say when the clock starts: --from T") }
        let rule: DeadlineRule
        switch (context.options.value("working-days"), context.options.value("working-hours")) {
        case (let days?, nil):
            guard let value = Int(days), (0...3_650).contains(value) else { throw UsageError("--working-days takes 0 to 3650, not \(days)") }
            rule = .workingDays(value)
        case (nil, let hours?):
            guard let value = Int(hours), (1...29_200).contains(value) else { throw UsageError("--working-hours takes 1 to 29200, not \(hours)") }
            rule = .workingHours(value)
        default: throw UsageError("give one of --working-days N or --working-hours N")
        }
        var cutoff: Int64?
        if let text = context.options.value("cutoff") {
            guard let minutes = CalendarConfig.clock(text) else { throw UsageError("--cutoff takes HH:MM, e.g. 15:00, not \(text)") }
            cutoff = Int64(minutes) * 60_000
        }
        let settings = try context.settings().calendar
        let calendar = settings.calendar
        let start = calendar.clockStart(received: from, cutoff: cutoff)
        let due = rule.due(from: start, in: calendar)
        let notable = daysOff(calendar, from: WorkingCalendar.local(from).date, through: WorkingCalendar.local(due).date)
        let warnings = settings.warnings(today: WorkingCalendar.local(from).date)
        if context.json {
            context.printJSON(["from": .string(from.description), "clockStart": .string(start.description), "due": .string(due.description),
                               "rule": .string(rule.description), "calendar": settings.dataFile.map(JSONValue.string) ?? .null,
                               "days": .array(notable.map { ["date": .string($0.date.description), "working": .bool($0.working), "name": .string($0.name)] }),
                               "warnings": .array(warnings.map(JSONValue.string))])
        } else {
            context.print("from         \(context.shownTime(from))")
            context.print("clock starts \(context.shownTime(start))")
            context.print("due          \(context.shownTime(due))  (\(rule))")
            for day in notable { context.print("  \(day.date) \(day.working ? "worked " : "day off") \(day.name)") }
            context.print("calendar     \(settings.dataFile ?? "none: weekends only")")
            for warning in warnings { context.print("warning: \(warning)") }
        }
        return Exit.ok
    }

    /// Holidays and worked weekend days from `from` through `through`.
    static func daysOff(_ calendar: WorkingCalendar, from: CalendarDate, through: CalendarDate) -> [(date: CalendarDate, working: Bool, name: String)] {
        var days: [(CalendarDate, Bool, String)] = []
        var date = from
        while date <= through {
            if let name = calendar.holidays[date] { days.append((date, false, name)) }
            if let name = calendar.workingDays[date] { days.append((date, true, name)) }
            date = date.adding(days: 1)
        }
        return days
    }
}
