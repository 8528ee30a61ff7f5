/// A journaled deadline: a dossier's whole group (`step` nil) or one of its steps.
public struct DeadlineRecord: Sendable, Hashable {
    /// The register's dossier code.
    public var dossierCode: String
    /// The step, or nil for the whole group.
    public var step: String?
    /// The route the dossier follows.
    public var route: String
    /// The step's agency; nil for the group.
    public var agency: String?
    /// When the clock started (the group) or the step's time began.
    public var startsAt: Timestamp
    /// When it is due.
    public var dueAt: Timestamp
    /// When it was found overdue and logged so; nil until then.
    public var overdueAt: Timestamp? = nil
    /// When it stopped counting: the step or the dossier was done.
    public var settledAt: Timestamp? = nil

    /// A deadline as planned or read.
    public init(dossierCode: String, step: String?, route: String, agency: String?, startsAt: Timestamp, dueAt: Timestamp,
                overdueAt: Timestamp? = nil, settledAt: Timestamp? = nil) {
        self.dossierCode = dossierCode
        self.step = step
        self.route = route
        self.agency = agency
        self.startsAt = startsAt
        self.dueAt = dueAt
        self.overdueAt = overdueAt
        self.settledAt = settledAt
    }

    /// The rows of a plan: the group's, then each step's that has a due time.
    public static func rows(_ deadlines: DossierDeadlines, code: String, route: RouteConfig) -> [DeadlineRecord] {
        var rows: [DeadlineRecord] = []
        if let due = deadlines.due {
            rows.append(DeadlineRecord(dossierCode: code, step: nil, route: route.name, agency: nil, startsAt: deadlines.clockStart, dueAt: due))
        }
        for step in route.steps {
            guard let due = deadlines.steps[step.name] else { continue }
            let start = step.needs.compactMap { deadlines.steps[$0] }.max() ?? deadlines.clockStart
            rows.append(DeadlineRecord(dossierCode: code, step: step.name, route: route.name, agency: step.agency, startsAt: start, dueAt: due))
        }
        return rows
    }
}

/// A change to a journaled deadline, written only once: the first mark wins.
public enum DeadlineMark: Sendable, Hashable {
    /// Found late and logged so.
    case overdue(dossierCode: String, step: String?)
    /// Done: it counts no more.
    case settled(dossierCode: String, step: String?)
}
