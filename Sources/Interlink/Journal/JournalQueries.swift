/// Per-agency counts of transfers by state, for `interlinkctl status` and metrics.
public struct TransferCounts: Sendable, Hashable {
    /// Transfers by agency and state.
    public var byAgency: [String: [TransferState: Int]]
    /// The oldest `updatedAt` among ready, sending, retrying, accepted and cancelling transfers, per agency.
    public var oldestPending: [String: Timestamp]
    /// When each agency last completed a transfer.
    public var lastCompleted: [String: Timestamp] = [:]

    /// Counts as a backend read them.
    public init(byAgency: [String: [TransferState: Int]], oldestPending: [String: Timestamp], lastCompleted: [String: Timestamp] = [:]) {
        self.byAgency = byAgency
        self.oldestPending = oldestPending
        self.lastCompleted = lastCompleted
    }
}

/// Which transfers to read.
public struct TransferQuery: Sendable, Hashable {
    /// Only these states; all when empty.
    public var states: Set<TransferState>
    /// Only transfers whose next attempt is due by then (or have none); ordered by that time.
    public var dueBy: Timestamp?
    /// Only this agency's.
    public var agency: String?
    /// Only this dossier's.
    public var dossierCode: String?
    /// At most this many.
    public var limit: Int

    /// A query; every filter is optional.
    public init(states: Set<TransferState>, dueBy: Timestamp? = nil, agency: String? = nil, dossierCode: String? = nil, limit: Int = 500) {
        self.states = states
        self.dueBy = dueBy
        self.agency = agency
        self.dossierCode = dossierCode
        self.limit = limit
    }
}
