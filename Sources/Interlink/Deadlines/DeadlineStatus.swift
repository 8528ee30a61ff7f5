/// Where a deadline stands: done, or held by which step, at which agency, and why. Pure: it
/// reads the dossier, its transfers, its write-back and the open incidents.
public struct DeadlineStatus: Sendable, Hashable {
    /// Why a dossier or step is not done.
    public enum Reason: String, Sendable, Hashable {
        /// Its agency is down: an open incident.
        case agencyDown = "agency-down"
        /// The agency accepted it and has not decided.
        case awaitingDecision = "awaiting-decision"
        /// Technical failures; it is tried again.
        case retrying
        /// In its agency's queue, not sent yet.
        case queued
        /// Given up after its retries: an administrator replays it.
        case dead
        /// A step it needs is not done.
        case notStarted = "not-started"
        /// Agencies' results disagree.
        case needsReview = "needs-review"
        /// The citizen must supplement: on the citizen's side, not the offices'.
        case supplementRequested = "supplement-requested"
        /// Done at the agencies; the register has not stored the result yet.
        case writeBackPending = "write-back-pending"
        /// The register's data could not be used.
        case quarantined
    }

    /// Whether nothing holds it any more.
    public var done: Bool
    /// The step holding it, when one does.
    public var step: String? = nil
    /// That step's agency (or `register` for a write-back).
    public var agency: String? = nil
    /// Why, when not done.
    public var reason: Reason? = nil
    /// The same, for people.
    public var explanation: String = ""

    /// Whether it waits on the citizen rather than on the offices.
    public var onCitizensSide: Bool { reason == .supplementRequested }

    static let finished = DeadlineStatus(done: true)

    /// The status of `deadline`. `transfers` are the dossier's effective transfers by step, in route order in `order`.
    public static func of(_ deadline: DeadlineRecord, outcome: DossierOutcome?, transfers: [String: TransferRecord], order: [String],
                          writeBackPending: Bool, openIncidents: [IncidentRecord]) -> DeadlineStatus {
        if let step = deadline.step {
            guard let transfer = transfers[step] else { return waiting(step, agency: deadline.agency, on: []) }
            return transfer.state.isFinal && transfer.state != .dead ? .finished : status(of: transfer, transfers: transfers, incidents: openIncidents)
        }
        switch outcome {
        case .completed?, .cancelled?, .notRouted?:
            return writeBackPending
                ? DeadlineStatus(done: false, agency: "register", reason: .writeBackPending, explanation: "done; the register has not stored the result yet")
                : .finished
        case .supplementRequested?:
            return DeadlineStatus(done: false, reason: .supplementRequested, explanation: "supplement requested: the citizen's turn")
        case .needsReview?:
            return DeadlineStatus(done: false, reason: .needsReview, explanation: "needs review: interlinkctl review")
        case .quarantined?:
            return DeadlineStatus(done: false, reason: .quarantined, explanation: "quarantined: the register's data could not be used")
        case .inProgress?, .failed?, nil:
            let holding = order.compactMap { transfers[$0] }.first { !$0.state.isFinal || $0.state == .dead }
            guard let holding else {
                return DeadlineStatus(done: false, reason: .notStarted, explanation: "being reconciled")
            }
            return status(of: holding, transfers: transfers, incidents: openIncidents)
        }
    }

    private static func status(of transfer: TransferRecord, transfers: [String: TransferRecord], incidents: [IncidentRecord]) -> DeadlineStatus {
        let step = transfer.step, agency = transfer.agency
        func held(_ reason: Reason, _ text: String) -> DeadlineStatus {
            DeadlineStatus(done: false, step: step, agency: agency, reason: reason, explanation: text)
        }
        let incident = incidents.first { $0.service == agency }
        switch transfer.state {
        case .ready, .sending, .retrying:
            if let incident {
                return held(.agencyDown, "\(agency) down: incident #\(incident.id) (\(incident.kind.rawValue)) since \(WorkingCalendar.describe(incident.openedAt)): "
                            + (incident.lastError ?? "no answer"))
            }
            return transfer.state == .retrying
                ? held(.retrying, "retrying at \(agency) after \(transfer.attempts) attempts: \(transfer.lastError ?? "a technical failure")")
                : held(.queued, "queued for \(agency)")
        case .accepted, .cancelling:
            return held(.awaitingDecision, "\(agency) accepted it at \(WorkingCalendar.describe(transfer.updatedAt)) and has not decided: the agency is slow")
        case .dead:
            return held(.dead, "dead at \(agency) after \(transfer.attempts) attempts: interlinkctl replay")
        case .waiting:
            return waiting(step, agency: agency, on: transfers.values.filter { !$0.state.isFinal && $0.step != step }.map(\.step).sorted())
        case .completed, .rejected, .cancelled:
            return .finished
        }
    }

    private static func waiting(_ step: String, agency: String?, on others: [String]) -> DeadlineStatus {
        DeadlineStatus(done: false, step: step, agency: agency, reason: .notStarted,
                       explanation: others.isEmpty ? "not started" : "not started: waiting for \(others.joined(separator: ", "))")
    }
}
