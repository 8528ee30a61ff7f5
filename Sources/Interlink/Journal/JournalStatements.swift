/// The statements a backend runs inside one write transaction: only SQL, no rules.
///
/// ``BatchWriter`` decides what a batch means (ordering, stale updates, write-back keys,
/// masking and chaining events) and calls these; each backend implements them with its own
/// SQL and driver. The journal conformance suite pins the behaviour both together give.
protocol JournalStatements: SendableMetatype {
    /// Inserts a dossier version; `false` when that (code, version) is already stored.
    func insertDossier(_ dossier: DossierSnapshot, seenAt: Int64) throws(JournalError) -> Bool
    /// Sets the register cursor.
    func setCursor(_ cursor: RegisterCursor, at: Int64) throws(JournalError)
    /// Applies an update; `false` when the transfer was not in its expected state (nothing changed).
    func updateTransfer(_ update: TransferUpdate, at: Int64) throws(JournalError) -> Bool
    /// Inserts a transfer; its id, or `nil` when the (dossier, version, step) already has one.
    func insertTransfer(_ transfer: NewTransfer, at: Int64) throws(JournalError) -> Int64?
    /// Sets a dossier version's outcome, its reasons and when it changed.
    func setOutcome(_ change: OutcomeChange, at: Int64) throws(JournalError)
    /// Replaces a dossier version's flags.
    func setFlags(_ change: FlagsChange) throws(JournalError)
    /// Marks a dossier version planned.
    func markPlanned(_ key: DossierKey) throws(JournalError)
    /// Counts one more unreconciled change on the dossier's newest version.
    func touchDossier(_ code: String) throws(JournalError)
    /// Takes back `changesSeen` changes of that version, and all of older versions.
    func settleChanges(_ mark: ReconciledMark) throws(JournalError)
    /// The dossier's current write-back, if any.
    func currentWriteBack(dossierCode: String, target: WriteBackTarget) throws(JournalError) -> StoredWriteBack?
    /// Stores a new write-back body as pending under `sequence` and `key`, replacing the old one.
    func storeWriteBack(_ request: WriteBackRequest, sequence: Int, key: String, at: Int64) throws(JournalError)
    /// Applies the result of a write-back attempt (releasing its claim); `false` when its
    /// sequence or fencing token no longer holds.
    func updateWriteBack(_ update: WriteBackUpdate, at: Int64) throws(JournalError) -> Bool
    /// Appends events, already masked, to the audit chain in this order: at once, or (where
    /// writers of several daemons share the chain) when the transaction ends.
    func appendEvents(_ events: [NewEvent]) throws(JournalError)
    /// Sets a metadata key.
    func setMetadata(_ key: String, _ value: String) throws(JournalError)
    /// Erases a dossier version's personal data (see ``JournalBatch/purges``).
    func erasePersonalData(_ key: DossierKey, at: Int64) throws(JournalError)

    /// Registers an instance or records its heartbeat (or stop).
    func upsertInstance(_ beat: InstanceBeat) throws(JournalError)
    /// A dossier version's unreconciled changes and outcome, or nil when it does not exist (locked where the backend can).
    func dossierState(_ key: DossierKey) throws(JournalError) -> (pendingChanges: Int, outcome: String)?
    /// A lease as it stands (locked where the backend can).
    func lease(_ name: String) throws(JournalError) -> LeaseRecord?
    /// Gives `holder` the lease when it is free, already its own, or held by an instance not
    /// live since `liveSince`; the token grows when the holder changes. Nil when another live instance holds it.
    func takeLease(_ name: String, holder: String, liveSince: Int64, at: Int64) throws(JournalError) -> Int64?
    /// Frees the lease if `holder` holds it.
    func releaseLease(_ name: String, holder: String) throws(JournalError)
    /// Transfers due by the request's time and claimable by its owner: per agency at most its
    /// limit, scheduled work (retries, follow-ups, cancellations) by due time first, then what
    /// was never sent, oldest first; none held by another live instance, none excluded.
    func dueTransfers(_ request: TransferClaimRequest) throws(JournalError) -> [TransferRecord]
    /// Pending write-backs due by the request's time and claimable by its owner, earliest first.
    func dueWriteBacks(_ request: WriteBackClaimRequest) throws(JournalError) -> [WriteBackRecord]
    /// Claims a write-back this transaction has just read (and locked where the backend can),
    /// under a new token: nobody else can have changed it since, so nobody waits for it.
    func claimWriteBack(_ record: WriteBackRecord, owner: String, at: Int64) throws(JournalError)
    /// Claims a transfer this transaction has just read (and locked where the backend can):
    /// nobody else can have changed it since, so the claim applies and nobody waits for it.
    func claimTransfer(_ update: TransferUpdate, at: Int64) throws(JournalError)
    /// Tells other daemons, as a hint, when the transaction commits; a backend without notifications ignores it.
    func notify(_ channel: JournalChannel) throws(JournalError)
    /// Stores a planned deadline unless the dossier's step has one.
    func insertDeadline(_ row: DeadlineRecord) throws(JournalError)
    /// Marks a deadline overdue or settled; false when it was marked so, or settled, before.
    func markDeadline(_ mark: DeadlineMark, at: Int64) throws(JournalError) -> Bool
    /// Opens an incident; its id, or nil when one of the kind is open for the service already.
    func openIncident(service: String, kind: IncidentKind, error: String, at: Int64) throws(JournalError) -> Int64?
    /// Counts a failed attempt in the open incident.
    func recordIncidentFailure(service: String, kind: IncidentKind, error: String) throws(JournalError)
    /// Closes the open incident; it as closed, or nil when none was open.
    func closeIncident(service: String, kind: IncidentKind, at: Int64) throws(JournalError) -> IncidentRecord?
}

/// What ``JournalStatements/currentWriteBack(dossierCode:target:)`` reads: enough to decide
/// whether a new body is really new.
struct StoredWriteBack: Sendable, Hashable {
    let sequence: Int
    let dossierVersion: Int
    let body: String
}
