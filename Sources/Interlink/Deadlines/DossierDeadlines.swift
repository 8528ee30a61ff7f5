/// When a dossier's group and each of its steps are due, planned once from the dossier as it
/// arrived: the clock starts at `receivedAt` (moved past the cut-off and days off), the group
/// is due by the route's rule or else the register's `dueAt`, and a step with its own rule is
/// due that long after the steps it needs are due (or the clock start). A step without one has
/// no deadline of its own: it is due with the group.
public struct DossierDeadlines: Sendable, Hashable {
    /// When the statutory clock started.
    public var clockStart: Timestamp
    /// When the whole group is due; nil when neither the route nor the register says.
    public var due: Timestamp?
    /// The due time of each step with a rule of its own, by step name.
    public var steps: [String: Timestamp]

    /// The deadlines of `snapshot` under `route`; nil when the dossier has no readable `receivedAt`.
    public static func plan(_ snapshot: DossierSnapshot, route: RouteConfig, calendar: WorkingCalendar) -> DossierDeadlines? {
        guard let received = snapshot.payload["receivedAt"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }) else { return nil }
        let start = calendar.clockStart(received: received, cutoff: route.cutoff)
        let due = route.deadline.map { $0.due(from: start, in: calendar) } ?? snapshot.payload["dueAt"]?.stringValue.flatMap { registerDue($0, calendar) }
        var steps: [String: Timestamp] = [:]
        for step in route.steps {
            // Steps come in dependency order, so the steps a step needs are planned already.
            let from = step.needs.compactMap { steps[$0] }.max() ?? start
            if let rule = step.deadline { steps[step.name] = rule.due(from: from, in: calendar) }
        }
        return DossierDeadlines(clockStart: start, due: due, steps: steps)
    }

    /// The register's `dueAt`: an RFC 3339 time, or a date meaning the end of that working day.
    static func registerDue(_ text: String, _ calendar: WorkingCalendar) -> Timestamp? {
        if let instant = Timestamp(rfc3339: text) { return instant }
        guard let date = CalendarDate(text), let last = calendar.sessions.last else { return nil }
        return WorkingCalendar.instant(date, last.end)
    }
}
