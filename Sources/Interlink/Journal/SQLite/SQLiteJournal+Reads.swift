/// The reads, in the SQL both backends share (``SQLReader``).
extension SQLiteJournal {
    /// Where the register was read up to: see ``Journal/cursor()``.
    public func cursor() async throws(JournalError) -> RegisterCursor? { try await readCursor() }
    /// A metadata value: see ``Journal/metadata(_:)``.
    public func metadata(_ key: String) async throws(JournalError) -> String? { try await readMetadata(key) }
    /// One dossier version: see ``Journal/dossier(code:version:)``.
    public func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord? { try await readDossier(code: code, version: version) }
    /// The newest journaled version of a dossier: see ``Journal/latestDossier(code:)``.
    public func latestDossier(code: String) async throws(JournalError) -> DossierRecord? { try await readLatestDossier(code: code) }
    /// Dossier versions a crash may have left unfinished: see ``Journal/dossiersNeedingAttention(after:limit:)``.
    public func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        try await readDossiersNeedingAttention(after: after, limit: limit)
    }
    /// The newest version of dossiers, filtered: see ``Journal/dossiers(outcome:procedure:since:limit:)``.
    public func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        try await readDossiers(outcome: outcome, procedure: procedure, since: since, limit: limit)
    }
    /// A dossier version and all its transfers in one read: see ``Journal/dossierWithTransfers(code:version:payload:)``.
    public func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord]) {
        try await readDossierWithTransfers(code: code, version: version, payload: payload)
    }
    /// Dossiers by the outcome of their newest version: see ``Journal/dossierCounts()``.
    public func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int] { try await readDossierCounts() }
    /// Finished versions due for purging: see ``Journal/purgeCandidates(before:limit:)``.
    public func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey] {
        try await readPurgeCandidates(before: before, limit: limit)
    }
    /// One transfer by id: see ``Journal/transfer(id:)``.
    public func transfer(id: Int64) async throws(JournalError) -> TransferRecord? { try await readTransfer(id: id) }
    /// Transfers matching `query`: see ``Journal/transfers(_:)``.
    public func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord] { try await readTransfers(query) }
    /// Due work per agency, each under its own limit: see ``Journal/dueTransfers(dueBy:limits:)``.
    public func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord] {
        try await readDueTransfers(dueBy: dueBy, limits: limits)
    }
    /// When the next scheduled item comes due: see ``Journal/nextDueTime(after:)``.
    public func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp? { try await readNextDueTime(after: after) }
    /// Transfers by agency and state: see ``Journal/transferCounts()``.
    public func transferCounts() async throws(JournalError) -> TransferCounts { try await readTransferCounts() }
    /// Events matching `query`, oldest first: see ``Journal/events(_:)``.
    public func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord] { try await readEvents(query) }
    /// Stored events for the audit chain: see ``Journal/auditEntries(after:limit:)``.
    public func auditEntries(after: Int64, limit: Int) async throws(JournalError) -> [AuditEntry] { try await readAuditEntries(after: after, limit: limit) }
    /// Write-backs by state, due time and dossier: see ``Journal/writeBacks(states:dueBy:dossierCode:limit:)``.
    public func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, limit: Int) async throws(JournalError) -> [WriteBackRecord] {
        try await readWriteBacks(states: states, dueBy: dueBy, dossierCode: dossierCode, limit: limit)
    }
}
