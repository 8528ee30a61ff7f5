import Interlink

/// `interlinkctl overdue`: dossiers past their deadline or nearly so, and what holds each.
enum OverdueCommand: CtlCommand {
    static let name = "overdue"
    static let summary = "dossiers overdue or nearly due, and what holds each"
    static let help = """
        Usage: interlinkctl overdue [--within H] [--json]

        Dossiers whose deadline (the route's working days, or the register's dueAt) has passed, or
        falls within H working hours (default: deadlines.dueSoonWorkingHours, 4), earliest first, with
        the working hours left (negative: overdue), the step holding each, its agency, and why: the
        agency down (an open incident), a decision awaited, retries, a dead transfer, a review, or a
        write-back the register has not stored. Dossiers waiting for the citizen (a supplement
        requested) are listed apart. H is working time: 4h, 1h30m, 2d (a working day of the
        calendar's sessions). Exits 1 when a dossier on the offices' side is overdue.

        Examples:
          interlinkctl overdue
          interlinkctl overdue --within 8h
          interlinkctl overdue --within 1d --json
        """
    static let flags: Set<String> = []
    static let options: Set<String> = ["within"]

    static func run(_ context: Context) async throws -> Int32 {
        let settings = try context.settings()
        let calendar = settings.calendar.calendar
        var within = Int64(settings.dueSoonWorkingHours) * 3_600_000
        if let text = context.options.value("within") {
            guard let amount = TimeFilter.workingDuration(text, dayLength: calendar.dayLength) else {
                throw UsageError("--within takes working time such as 4h, 1h30m or 2d, not \(text)")
            }
            within = amount
        }
        let now = Timestamp.now()
        let journal = try context.openJournal()
        let incidents = try await journal.incidents(openOnly: true, dossierCode: nil, limit: 1_000)
        let current = try await DeadlineStatus.undone(dueBy: calendar.adding(working: within, to: now), journal: journal, openIncidents: incidents)
        let offices = current.filter { !$0.status.onCitizensSide }, citizens = current.filter(\.status.onCitizensSide)
        func left(_ entry: DeadlineStatus.Current) -> Double { Double(calendar.working(from: now, to: entry.deadline.dueAt)) / 3_600_000 }
        if context.json {
            for entry in current {
                context.printJSON(["code": .string(entry.deadline.dossierCode), "route": .string(entry.deadline.route),
                                   "due": .string(entry.deadline.dueAt.description), "workingHoursLeft": .number((left(entry) * 10).rounded() / 10),
                                   "overdue": .bool(entry.deadline.dueAt <= now), "side": .string(entry.status.onCitizensSide ? "citizen" : "offices"),
                                   "step": entry.status.step.map(JSONValue.string) ?? .null, "agency": entry.status.agency.map(JSONValue.string) ?? .null,
                                   "why": .string(entry.status.reason?.rawValue ?? ""), "explanation": .string(entry.status.explanation)])
            }
        } else {
            for (title, entries) in [("Held by the offices", offices), ("On the citizen's side (supplement requested)", citizens)] where !entries.isEmpty {
                context.print("\(title):")
                var table = Table(["code", "route", "due", "left", "step", "agency", "why"])
                for entry in entries {
                    table.add([entry.deadline.dossierCode, entry.deadline.route, context.shownTime(entry.deadline.dueAt), hours(left(entry)),
                               entry.status.step ?? "-", entry.status.agency ?? "-", entry.status.explanation])
                }
                context.print(table.text)
            }
            if current.isEmpty { context.print("nothing overdue or due within \(hours(Double(within) / 3_600_000)) working hours") }
        }
        return offices.contains { $0.deadline.dueAt <= now } ? Exit.problems : Exit.ok
    }

    /// `-2.5h`, `3h`: working hours, one decimal.
    static func hours(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return (rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) + "h"
    }
}
