/// One step of one dossier version, as journaled.
public struct TransferRecord: Sendable, Hashable {
    /// The journal's row ID, by which an administrator picks transfers to replay.
    public var id: Int64
    /// The register's code of the dossier this step belongs to.
    public var dossierCode: String
    /// The dossier version this transfer was planned from.
    public var dossierVersion: Int
    /// The name of the route step it carries out.
    public var step: String
    /// The configured agency the step is sent to.
    public var agency: String
    /// The operation path relative to the agency's base URL, copied from the step (e.g. `/births`).
    public var operation: String
    /// Where it stands in its lifecycle; every change is journaled as an event.
    public var state: TransferState
    /// Derived from (dossier code, version, step) and stored before the first attempt.
    public var idempotencyKey: String
    /// Pushes and cancellations so far, each counted when claimed; a replay resets it to 0.
    public var attempts: Int
    /// When it is next due (a retry, receipt follow-up or cancellation); nil when nothing is scheduled.
    public var nextAttemptAt: Timestamp?
    /// When it was first claimed for a request; the retry budget and receipt polling count from it.
    public var firstAttemptAt: Timestamp?
    /// The agency's receipt reference once it accepted the request; follow-ups and cancellations quote it.
    public var receipt: String?
    /// The agency's result once it completed: later steps' templates read it and it is written back.
    public var result: JSONValue?
    /// A JSON array of the agency's rejection reasons (or why a withdrawal came too late).
    public var reasons: JSONValue?
    /// The last technical failure, for operators; cleared when the agency completes or accepts it, and by a replay.
    public var lastError: String?
    /// When the transfer was journaled.
    public var createdAt: Timestamp
    /// When it last changed; `replay --since` filters on it.
    public var updatedAt: Timestamp
    /// The daemon instance that claimed it last and has not settled it; nil when none.
    public var claimedBy: String?
    /// The fencing token: grows with every claim, and a settle writes only while it still
    /// holds the token it claimed with, so a daemon that lost its claim cannot overwrite.
    public var claimToken: Int64 = 0
    /// The push's body exactly as first sent; every resend and replay sends it again, so a
    /// later template change never puts a different request under the same key.
    public var request: String?

    /// Builds a record from its journaled columns.
    public init(id: Int64, dossierCode: String, dossierVersion: Int, step: String, agency: String, operation: String,
                state: TransferState, idempotencyKey: String, attempts: Int, nextAttemptAt: Timestamp?, firstAttemptAt: Timestamp?,
                receipt: String?, result: JSONValue?, reasons: JSONValue?, lastError: String?, createdAt: Timestamp, updatedAt: Timestamp,
                claimedBy: String? = nil, claimToken: Int64 = 0, request: String? = nil) {
        self.request = request
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
        self.claimedBy = claimedBy
        self.claimToken = claimToken
    }
}

/// A transfer to create.
public struct NewTransfer: Sendable, Hashable {
    /// The register's code of the dossier this step belongs to.
    public var dossierCode: String
    /// The dossier version being planned.
    public var dossierVersion: Int
    /// The name of the route step it carries out.
    public var step: String
    /// The configured agency the step is sent to.
    public var agency: String
    /// The operation path relative to the agency's base URL.
    public var operation: String
    /// `ready` when every step it needs is already completed, else `waiting`.
    public var state: TransferState
    /// Its stored key: the planned placeholder, from which the key sent is derived from the
    /// request's content, or a key sent as it is (see ``IdempotencyKeys``).
    public var idempotencyKey: String
    /// The transfer of an earlier version this one replaces; it is only created when that one
    /// was really cancelled in the same batch (not meanwhile sent).
    public var replaces: Int64?
    /// For a step adopted from the register's record (``state`` `completed` or `accepted`):
    /// the agency's reference (its receipt).
    public var receipt: String?
    /// For an adopted step: the agency's result, which later steps' templates read.
    public var result: JSONValue?
    /// For an adopted accepted step: when to ask about its receipt next.
    public var nextAttemptAt: Timestamp?

    /// Builds a transfer to create; `replaces` starts nil.
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
    /// The journal ID of the transfer to change.
    public var id: Int64
    /// The state it moves to (may be the one it is in).
    public var state: TransferState
    /// Only applied when the transfer is still in this state, so two writers cannot both
    /// move it (a replay racing the daemon, say).
    public var expectedState: TransferState?
    /// The new attempt count.
    public var attempts: Int?
    /// `.some(nil)` clears it.
    public var nextAttemptAt: Timestamp??
    /// When it was first claimed; `.some(nil)` clears it, as a replay does.
    public var firstAttemptAt: Timestamp??
    /// The agency's receipt reference to store.
    public var receipt: String?
    /// The agency's result to store.
    public var result: JSONValue?
    /// Rejection reasons (a JSON array) to store; a replay sets `[]`.
    public var reasons: JSONValue?
    /// The last technical failure; `.some(nil)` clears it.
    public var lastError: String??
    /// A replacement key, set only by a replay an administrator asked to send under a new key.
    public var idempotencyKey: String?
    /// The request as first sent (`.some`), or forgotten so the next push renders it again
    /// from today's configuration (`.some(nil)`, a replay with --rerender).
    public var request: String??
    /// Applied only while the transfer still holds this fencing token (see ``TransferRecord/claimToken``).
    public var fence: Int64?
    /// Who holds the transfer afterwards: claimed by an instance (the token grows) or released.
    public var owner: ClaimChange?

    /// A change moving transfer `id` to `state`, applied only from `expectedState` when given; other members start nil.
    public init(id: Int64, state: TransferState, expectedState: TransferState? = nil) {
        self.id = id
        self.state = state
        self.expectedState = expectedState
    }
}

/// What an update does to a transfer's or write-back's claim.
public enum ClaimChange: Sendable, Hashable {
    /// Claimed by this daemon instance: the fencing token grows by one.
    case claim(String)
    /// Settled: nobody holds it.
    case release
}
