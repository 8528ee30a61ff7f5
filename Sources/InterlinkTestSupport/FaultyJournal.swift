public import Interlink
import Synchronization

/// A real journal with read faults injected, as a busy or failing database gives them: the
/// named reads fail (busy) the first `failures` times, everything else goes to `inner`.
public final class FaultyJournal: Journal {
    /// The reads that can be made to fail.
    public enum Read: Sendable, Hashable {
        case dossier, dossierWithTransfers
    }

    private let inner: any Journal
    private let failing: Set<Read>
    private let remaining: Mutex<Int>

    public init(_ inner: any Journal, failing: Set<Read>, failures: Int = 1) {
        self.inner = inner
        self.failing = failing
        remaining = Mutex(failures)
    }

    private func fault(_ read: Read) throws(JournalError) {
        guard failing.contains(read), remaining.withLock({ count in
            defer { count = max(0, count - 1) }
            return count > 0
        }) else { return }
        throw JournalError(code: .busy, message: "injected: the database is locked")
    }

    public func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord? {
        try fault(.dossier)
        return try await inner.dossier(code: code, version: version)
    }

    public func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord]) {
        try fault(.dossierWithTransfers)
        return try await inner.dossierWithTransfers(code: code, version: version, payload: payload)
    }

    public func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult { try await inner.apply(batch) }
    public func cursor() async throws(JournalError) -> RegisterCursor? { try await inner.cursor() }
    public func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        try await inner.dossiersNeedingAttention(after: after, limit: limit)
    }
    public func latestDossier(code: String) async throws(JournalError) -> DossierRecord? { try await inner.latestDossier(code: code) }
    public func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord] { try await inner.transfers(query) }
    public func transfer(id: Int64) async throws(JournalError) -> TransferRecord? { try await inner.transfer(id: id) }
    public func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord] {
        try await inner.dueTransfers(dueBy: dueBy, limits: limits)
    }
    public func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord] { try await inner.events(query) }
    public func auditEntries(after: Int64, limit: Int) async throws(JournalError) -> [AuditEntry] { try await inner.auditEntries(after: after, limit: limit) }
    public func transferCounts() async throws(JournalError) -> TransferCounts { try await inner.transferCounts() }
    public func metadata(_ key: String) async throws(JournalError) -> String? { try await inner.metadata(key) }
    public func writeBackCounts() async throws(JournalError) -> WriteBackCounts {
        try await inner.writeBackCounts()
    }

    public func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, target: WriteBackTarget?,
                           limit: Int) async throws(JournalError) -> [WriteBackRecord] {
        try await inner.writeBacks(states: states, dueBy: dueBy, dossierCode: dossierCode, target: target, limit: limit)
    }
    public func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp? { try await inner.nextDueTime(after: after) }
    public func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        try await inner.dossiers(outcome: outcome, procedure: procedure, since: since, limit: limit)
    }
    public func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int] { try await inner.dossierCounts() }
    public func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey] {
        try await inner.purgeCandidates(before: before, limit: limit)
    }
    public func claimTransfers(_ request: TransferClaimRequest,
                               update: @escaping @Sendable (TransferRecord) -> (TransferUpdate, TransferRecord)?) async throws(JournalError) -> [TransferRecord] {
        try await inner.claimTransfers(request, update: update)
    }
    public func claimWriteBacks(_ request: WriteBackClaimRequest) async throws(JournalError) -> [WriteBackRecord] {
        try await inner.claimWriteBacks(request)
    }
    public func acquireLease(_ name: String, holder: String, liveSince: Timestamp) async throws(JournalError) -> Int64? {
        try await inner.acquireLease(name, holder: holder, liveSince: liveSince)
    }
    public func releaseLease(_ name: String, holder: String) async throws(JournalError) { try await inner.releaseLease(name, holder: holder) }
    public func instances() async throws(JournalError) -> [InstanceBeat] { try await inner.instances() }
    public func leases() async throws(JournalError) -> [LeaseRecord] { try await inner.leases() }
    public func notifications(_ channels: Set<JournalChannel>) -> AsyncStream<JournalChannel>? { inner.notifications(channels) }
    public func scrub() async throws(JournalError) { try await inner.scrub() }
    public func deadlines(dossierCode: String) async throws(JournalError) -> [DeadlineRecord] { try await inner.deadlines(dossierCode: dossierCode) }
    public func openDeadlines(dueBy: Timestamp, groupsOnly: Bool, limit: Int) async throws(JournalError) -> OpenDeadlines {
        try await inner.openDeadlines(dueBy: dueBy, groupsOnly: groupsOnly, limit: limit)
    }
    public func incidents(openOnly: Bool, dossierCode: String?, limit: Int) async throws(JournalError) -> [IncidentRecord] {
        try await inner.incidents(openOnly: openOnly, dossierCode: dossierCode, limit: limit)
    }
    public func chainTip() async throws(JournalError) -> AuditChain.Link { try await inner.chainTip() }
    public func auditedRows(_ table: AuditedTable, after last: AuditedRow?, limit: Int) async throws(JournalError) -> [AuditedRow] {
        try await inner.auditedRows(table, after: last, limit: limit)
    }
    public func close() async { await inner.close() }
}
