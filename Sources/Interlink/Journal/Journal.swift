/// Durable state of the sync: dossiers seen, transfers and their states, write-backs, the
/// append-only event log and the register cursor.
///
/// The engine's stages, `interlinkctl` and the operations talk to this protocol; the
/// backend is chosen once, by ``JournalFactory``. What a backend must do is pinned by the
/// journal conformance suite, and the rules every backend shares (masking, the audit chain,
/// write-back keys, de-duplication) live in ``BatchWriter`` and ``AuditChain``.
public protocol Journal: Sendable {
    /// Applies every change of `batch` atomically.
    @discardableResult
    func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult

    /// Where the register was read up to, or `nil` before the first page.
    func cursor() async throws(JournalError) -> RegisterCursor?

    /// One dossier version, with its payload.
    func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord?

    /// Dossier versions not yet planned, or with transfer changes not yet reconciled:
    /// what a crash may have interrupted. Pages by `(code, version)` strictly after `after`.
    func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord]

    /// A dossier version (the newest when `version` is nil) and all the dossier's transfers,
    /// read together: one round trip where the engine needs both.
    /// Without `payload`, the record's payload is `.null`: parsing it is the costly part.
    func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord])

    /// The newest journaled version of a dossier.
    func latestDossier(code: String) async throws(JournalError) -> DossierRecord?

    /// Transfers matching `query`: by id, or by next attempt when `dueBy` is set.
    func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord]

    /// One transfer by id.
    func transfer(id: Int64) async throws(JournalError) -> TransferRecord?

    /// Transfers to send or follow up by `dueBy`, at most `limits[agency]` per agency, in one
    /// round trip: first retries, receipt follow-ups and cancellations that came due, by due
    /// time (they have waited already), then those not yet sent (`ready`, and `sending` left
    /// by a crash), oldest first.
    func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord]

    /// Events matching `query`: the newest `limit`, oldest first, like a log.
    func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord]

    /// Events after sequence `after`, in order, as stored, for ``AuditChain/verify(_:recordedTip:pageSize:)``.
    func auditEntries(after: Int64, limit: Int) async throws(JournalError) -> [AuditEntry]

    /// The chain's last link (``AuditChain/Link/origin`` when there are no events).
    func chainTip() async throws(JournalError) -> AuditChain.Link

    /// A page of the audited data rows of `table` (see ``ContentAudit``), for `audit verify`.
    func auditedRows(_ table: AuditedTable, after last: AuditedRow?, limit: Int) async throws(JournalError) -> [AuditedRow]

    /// Transfers by agency and state, the oldest pending and the last completion per agency.
    func transferCounts() async throws(JournalError) -> TransferCounts

    /// A metadata value set by a batch.
    func metadata(_ key: String) async throws(JournalError) -> String?

    /// Write-backs in `states` (all when empty), due by `dueBy` when given, earliest due first.
    func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, target: WriteBackTarget?, limit: Int) async throws(JournalError) -> [WriteBackRecord]
    /// Write-backs by where they stand, and the oldest still waiting.
    func writeBackCounts() async throws(JournalError) -> WriteBackCounts

    /// The earliest moment after `after` that a retry, receipt follow-up, cancellation or
    /// write-back is due. Work already due is not included: it is dispatched now, or when
    /// capacity frees up.
    func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp?

    /// The newest version of dossiers, newest first, optionally filtered.
    func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord]

    /// Dossiers by the outcome of their newest version.
    func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int]

    /// Finished dossier versions (completed, cancelled, not routed) whose outcome is older
    /// than `before` and not purged yet, oldest first.
    func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey]

    /// Claims due transfers for `request.owner` in one transaction: per agency at most its
    /// limit, none another live instance holds, skipping what other claimers hold locked.
    /// `update` makes each one's claim (its state, attempt and next look) and the record as it
    /// will stand, or nil to leave it; the journal adds the owner and a new fencing token, and
    /// returns them so.
    func claimTransfers(_ request: TransferClaimRequest,
                        update: @escaping @Sendable (TransferRecord) -> (TransferUpdate, TransferRecord)?) async throws(JournalError) -> [TransferRecord]

    /// Claims due pending write-backs for `request.owner`, returned with their new token.
    func claimWriteBacks(_ request: WriteBackClaimRequest) async throws(JournalError) -> [WriteBackRecord]

    /// Takes or keeps the lease `name` for `holder`: granted when it is free, already the
    /// holder's, or held by an instance not live since `liveSince`. Returns the lease's token
    /// (the fence of what the holder writes under it), or nil while another live instance holds it.
    func acquireLease(_ name: String, holder: String, liveSince: Timestamp) async throws(JournalError) -> Int64?

    /// Frees the lease `name` if `holder` holds it.
    func releaseLease(_ name: String, holder: String) async throws(JournalError)

    /// The daemon instances that registered, newest heartbeat first.
    func instances() async throws(JournalError) -> [InstanceBeat]

    /// The leases and who holds them.
    func leases() async throws(JournalError) -> [LeaseRecord]

    /// Hints that something changed on `channels`, from any daemon; nil when the backend has
    /// no notifications (callers poll, as they do anyway behind the hints).
    func notifications(_ channels: Set<JournalChannel>) -> AsyncStream<JournalChannel>?

    /// A dossier's deadlines: its group's and its steps', earliest due first.
    func deadlines(dossierCode: String) async throws(JournalError) -> [DeadlineRecord]

    /// Deadlines not settled yet and due by `dueBy`, earliest first (only dossiers' group
    /// deadlines when `groupsOnly`): what is overdue or nearly so, with their dossiers' facts.
    func openDeadlines(dueBy: Timestamp, groupsOnly: Bool, limit: Int) async throws(JournalError) -> OpenDeadlines

    /// Incidents, newest first: only open ones, or those that held up `dossierCode`, when asked.
    func incidents(openOnly: Bool, dossierCode: String?, limit: Int) async throws(JournalError) -> [IncidentRecord]

    /// Leaves no copy of erased data behind, after a purge. SQLite rewrites the database
    /// (VACUUM): `secure_delete` zeroes the erased cells, but B-tree rebalancing leaves old
    /// copies of rows in pages' unused space, which only a rewrite clears. It then
    /// checkpoints the WAL into the file and truncates it. The rewrite costs about 25 s per
    /// GB here (BENCHMARKS.md), which is why the daemon's retention purge runs daily.
    /// PostgreSQL's dead row versions are reclaimed by VACUUM, which the README documents.
    func scrub() async throws(JournalError)

    /// Finishes pending writes and releases the database.
    func close() async
}
