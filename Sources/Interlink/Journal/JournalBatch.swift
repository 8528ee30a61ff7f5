/// A dossier version's new outcome.
public struct OutcomeChange: Sendable, Hashable {
    public var dossierCode: String
    public var dossierVersion: Int
    public var outcome: DossierOutcome
    public var reasons: JSONValue?

    public init(dossierCode: String, dossierVersion: Int, outcome: DossierOutcome, reasons: JSONValue? = nil) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.outcome = outcome
        self.reasons = reasons
    }
}

/// One version of one dossier.
public struct DossierKey: Sendable, Hashable {
    public var code: String
    public var version: Int

    public init(code: String, version: Int) {
        self.code = code
        self.version = version
    }
}

/// Takes back the changes a reconciliation has seen; changes recorded since stay pending.
public struct ReconciledMark: Sendable, Hashable {
    public var key: DossierKey
    public var changesSeen: Int

    public init(key: DossierKey, changesSeen: Int) {
        self.key = key
        self.changesSeen = changesSeen
    }
}

/// A dossier version's new flags.
public struct FlagsChange: Sendable, Hashable {
    public var dossierCode: String
    public var dossierVersion: Int
    public var flags: DossierFlags

    public init(dossierCode: String, dossierVersion: Int, flags: DossierFlags) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.flags = flags
    }
}

/// Changes that commit together or not at all.
///
/// The engine hands the journal batches rather than single rows because grouping commits,
/// not HTTP, decides throughput: the SQLite journal commits many batches in one transaction.
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
    public var outcomes: [OutcomeChange] = []
    public var events: [NewEvent] = []
    public var metadata: [String: String] = [:]
    /// Replaces a dossier version's flags.
    public var flags: [FlagsChange] = []
    public var writeBacks: [WriteBackRequest] = []
    public var writeBackUpdates: [WriteBackUpdate] = []
    /// Dossier versions whose transfers are now planned.
    public var plannedDossiers: [DossierKey] = []
    /// Dossiers whose transfers changed and must be reconciled (even after a crash).
    public var touchedDossiers: [String] = []
    /// Dossiers reconciled up to the given number of recorded changes.
    public var reconciledDossiers: [ReconciledMark] = []

    public init() {}

    public var isEmpty: Bool {
        dossiers.isEmpty && cursor == nil && newTransfers.isEmpty && transferUpdates.isEmpty
            && outcomes.isEmpty && events.isEmpty && metadata.isEmpty && flags.isEmpty && writeBacks.isEmpty && writeBackUpdates.isEmpty
            && plannedDossiers.isEmpty && touchedDossiers.isEmpty && reconciledDossiers.isEmpty
    }
}

/// What a batch actually changed.
public struct JournalBatchResult: Sendable, Hashable {
    /// For each of the batch's dossiers: whether it was new.
    public var dossierInserted: [Bool] = []
    /// For each of the batch's new transfers: its id, or `nil` when it already existed.
    public var transferIDs: [Int64?] = []
    /// Updates skipped because the transfer was no longer in its expected state.
    public var staleUpdates: [Int64] = []
}

/// A journal operation that failed.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database refused an operation (I/O, locking, constraint, disk full).
        case storage
        /// The file was written by a newer Interlink.
        case schemaTooNew = "schema-too-new"
        /// The journal was closed.
        case closed
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: SQLiteError) {
        self.init(code: .storage, message: error.description)
    }

    public var description: String { message }
}
