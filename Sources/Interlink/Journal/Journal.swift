/// Per-agency counts of transfers by state, for `interlinkctl status` and metrics.
public struct TransferCounts: Sendable, Hashable {
    public var byAgency: [String: [TransferState: Int]]
    /// The oldest `updatedAt` among ready, sending, retrying and accepted transfers, per agency.
    public var oldestPending: [String: Timestamp]
    /// When each agency last completed a transfer.
    public var lastCompleted: [String: Timestamp] = [:]
}

/// Which transfers to read.
public struct TransferQuery: Sendable, Hashable {
    public var states: Set<TransferState>
    /// Only transfers whose next attempt is due by then (or have none).
    public var dueBy: Timestamp?
    public var agency: String?
    public var dossierCode: String?
    public var limit: Int

    public init(states: Set<TransferState>, dueBy: Timestamp? = nil, agency: String? = nil, dossierCode: String? = nil, limit: Int = 500) {
        self.states = states
        self.dueBy = dueBy
        self.agency = agency
        self.dossierCode = dossierCode
        self.limit = limit
    }
}

/// Durable state of the sync: dossiers seen, transfers and their states, the append-only
/// event log and the register cursor.
///
/// The engine and `interlinkctl` only talk to this protocol, so a PostgreSQL journal for
/// several instances can be added without touching them.
public protocol Journal: Sendable {
    /// Applies every change of `batch` atomically.
    @discardableResult
    func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult

    func cursor() async throws(JournalError) -> RegisterCursor?

    func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord?

    /// Dossier versions not yet planned, or with transfer changes not yet reconciled:
    /// what a crash may have interrupted.
    /// Pages by `(code, version)` strictly after `after`.
    func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord]

    /// A dossier version (the newest when `version` is nil) and all the dossier's transfers,
    /// read together: one round trip where the engine needs both.
    /// Without `payload`, the record's payload is `.null`: parsing it is the costly part.
    func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord])

    /// The newest journaled version of a dossier.
    func latestDossier(code: String) async throws(JournalError) -> DossierRecord?

    func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord]

    func transfer(id: Int64) async throws(JournalError) -> TransferRecord?

    /// Transfers to send or follow up by `dueBy`, at most `limits[agency]` per agency, in one
    /// round trip: first retries and receipt follow-ups that came due, in that order (they
    /// have waited already), then those not yet sent (`ready`, and `sending` left by a
    /// crash), oldest first.
    func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord]

    func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord]

    func transferCounts() async throws(JournalError) -> TransferCounts

    func metadata(_ key: String) async throws(JournalError) -> String?

    /// Write-backs in `states` (all when empty), due by `dueBy` when given.
    func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, limit: Int) async throws(JournalError) -> [WriteBackRecord]

    /// The earliest moment after `after` that a retry, receipt follow-up or write-back is due.
    /// Work already due is not included: it is dispatched now, or when capacity frees up.
    func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp?

    /// The newest version of dossiers, newest first, optionally filtered.
    func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord]

    /// Dossiers by the outcome of their newest version.
    func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int]

    /// Finished dossier versions whose outcome is older than `before` and not purged yet.
    func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey]

    /// Removes those versions' personal data, keeping states, references and events.
    func purge(_ keys: [DossierKey], reason: String) async throws(JournalError)

    /// Finishes pending writes and releases the database.
    func close() async
}
