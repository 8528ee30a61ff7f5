/// One step of one dossier version, as journaled.
public struct TransferRecord: Sendable, Hashable {
    public var id: Int64
    public var dossierCode: String
    public var dossierVersion: Int
    public var step: String
    public var agency: String
    public var operation: String
    public var state: TransferState
    /// Derived from (dossier code, version, step) and stored before the first attempt.
    public var idempotencyKey: String
    public var attempts: Int
    public var nextAttemptAt: Timestamp?
    public var firstAttemptAt: Timestamp?
    public var receipt: String?
    public var result: JSONValue?
    public var reasons: JSONValue?
    public var lastError: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: Int64, dossierCode: String, dossierVersion: Int, step: String, agency: String, operation: String,
                state: TransferState, idempotencyKey: String, attempts: Int, nextAttemptAt: Timestamp?, firstAttemptAt: Timestamp?,
                receipt: String?, result: JSONValue?, reasons: JSONValue?, lastError: String?, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.step = step
        self.agency = agency
        self.operation = operation
        self.state = state
        self.idempotencyKey = idempotencyKey
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstAttemptAt = firstAttemptAt
        self.receipt = receipt
        self.result = result
        self.reasons = reasons
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A transfer to create.
public struct NewTransfer: Sendable, Hashable {
    public var dossierCode: String
    public var dossierVersion: Int
    public var step: String
    public var agency: String
    public var operation: String
    public var state: TransferState
    public var idempotencyKey: String
    /// The transfer of an earlier version this one replaces; it is only created when that one
    /// was really cancelled in the same batch (not meanwhile sent).
    public var replaces: Int64?

    public init(dossierCode: String, dossierVersion: Int, step: String, agency: String, operation: String,
                state: TransferState, idempotencyKey: String) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.step = step
        self.agency = agency
        self.operation = operation
        self.state = state
        self.idempotencyKey = idempotencyKey
    }
}

/// A change to a transfer. `nil` members are left as they are.
public struct TransferUpdate: Sendable, Hashable {
    public var id: Int64
    public var state: TransferState
    /// Only applied when the transfer is still in this state, so two writers cannot both
    /// move it (a replay racing the daemon, say).
    public var expectedState: TransferState?
    public var attempts: Int?
    /// `.some(nil)` clears it.
    public var nextAttemptAt: Timestamp??
    public var firstAttemptAt: Timestamp??
    public var receipt: String?
    public var result: JSONValue?
    public var reasons: JSONValue?
    public var lastError: String??
    public var idempotencyKey: String?

    public init(id: Int64, state: TransferState, expectedState: TransferState? = nil) {
        self.id = id
        self.state = state
        self.expectedState = expectedState
    }
}
