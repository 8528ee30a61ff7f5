/// Changes that commit together or not at all.
///
/// Callers hand the journal batches rather than single rows because grouping commits, not
/// HTTP, decides throughput: a backend may commit many batches in one transaction. What a
/// batch means is the same on every backend; ``BatchWriter`` holds those rules.
public struct JournalBatch: Sendable, Hashable {
    /// Stored once per (code, version); a version already known is ignored.
    public var dossiers: [DossierSnapshot] = []
    /// Advanced in the same transaction as the dossiers it covers, so none is skipped.
    public var cursor: RegisterCursor?
    /// Created unless a transfer for the same (dossier, version, step) exists.
    public var newTransfers: [NewTransfer] = []
    /// An update whose expected state no longer holds is skipped, and so are the batch's
    /// events about that transfer.
    public var transferUpdates: [TransferUpdate] = []
    /// New outcomes of dossier versions.
    public var outcomes: [OutcomeChange] = []
    /// Appended to the audit chain, masked, in order.
    public var events: [NewEvent] = []
    /// Key-value facts (heartbeat, circuit states, quarantine markers); set, never appended.
    public var metadata: [String: String] = [:]
    /// Replaces a dossier version's flags.
    public var flags: [FlagsChange] = []
    /// New write-back bodies; the journal assigns their sequence and key.
    public var writeBacks: [WriteBackRequest] = []
    /// Results of write-back attempts.
    public var writeBackUpdates: [WriteBackUpdate] = []
    /// Dossier versions whose transfers are now planned.
    public var plannedDossiers: [DossierKey] = []
    /// Dossiers whose transfers changed and must be reconciled (even after a crash).
    public var touchedDossiers: [String] = []
    /// Dossiers reconciled up to the given number of recorded changes.
    public var reconciledDossiers: [ReconciledMark] = []
    /// Dossier versions whose personal data is erased: the payload, the agencies' results,
    /// reasons and the write-back body. States, keys, receipts and events stay.
    public var purges: [DossierKey] = []
    /// Daemon instances registering, beating or stopping.
    public var instances: [InstanceBeat] = []
    /// Deadlines planned for a dossier; a deadline already journaled keeps its clock.
    public var deadlines: [DeadlineRecord] = []
    /// Deadlines found overdue or done; the first mark of each kind wins.
    public var deadlineMarks: [DeadlineMark] = []
    /// Incidents opened, added to and closed; each opening and closing journals its own event.
    public var incidents: [IncidentChange] = []
    /// Conditions checked first: if one fails, nothing of the batch is written.
    public var preconditions: [BatchPrecondition] = []

    /// An empty batch.
    public init() {}

    /// Whether the batch changes nothing.
    public var isEmpty: Bool {
        dossiers.isEmpty && cursor == nil && newTransfers.isEmpty && transferUpdates.isEmpty
            && outcomes.isEmpty && events.isEmpty && metadata.isEmpty && flags.isEmpty && writeBacks.isEmpty && writeBackUpdates.isEmpty
            && plannedDossiers.isEmpty && touchedDossiers.isEmpty && reconciledDossiers.isEmpty && purges.isEmpty && instances.isEmpty
            && deadlines.isEmpty && deadlineMarks.isEmpty && incidents.isEmpty
    }
}

/// What a batch actually changed.
public struct JournalBatchResult: Sendable, Hashable {
    /// For each of the batch's dossiers: whether it was new.
    public var dossierInserted: [Bool] = []
    /// For each of the batch's new transfers: its id, or `nil` when it already existed.
    public var transferIDs: [Int64?] = []
    /// Updates skipped because the transfer was no longer in its expected state (or fence).
    public var staleUpdates: [Int64] = []
    /// Write-back results not applied: a newer body replaced it, or another instance took it over.
    public var staleWriteBackUpdates: [String] = []
    /// A precondition failed, so nothing of the batch was written.
    public var preconditionFailed = false
    /// For each of the batch's deadline marks: whether it was written (false: marked before).
    public var deadlineMarked: [Bool] = []

    /// An empty result, filled in by ``BatchWriter``.
    public init() {}
}
