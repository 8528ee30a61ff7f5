/// Where a dossier's write-back to the register stands.
public enum WriteBackState: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its (next) attempt.
    case pending
    /// Stored by the register and verified.
    case sent
    /// The dossier changed in the register; a newer version's write-back replaces it.
    case superseded
    /// The register refused it for good (unknown dossier, bad request).
    case dead
}

/// The latest write-back of a dossier.
public struct WriteBackRecord: Sendable, Hashable {
    public var dossierCode: String
    public var dossierVersion: Int
    /// Grows with every new body; part of the idempotency key.
    public var sequence: Int
    public var outcome: DossierOutcome
    /// The exact bytes sent, identical on every retry.
    public var body: String
    public var idempotencyKey: String
    public var state: WriteBackState
    public var attempts: Int
    public var nextAttemptAt: Timestamp?
    public var firstAttemptAt: Timestamp?
    public var lastError: String?
}

/// A new write-back body for a dossier version. The journal assigns its sequence and key,
/// and ignores it when the same body is already queued or sent.
public struct WriteBackRequest: Sendable, Hashable {
    public var dossierCode: String
    public var dossierVersion: Int
    public var outcome: DossierOutcome
    public var body: String

    public init(dossierCode: String, dossierVersion: Int, outcome: DossierOutcome, body: String) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.outcome = outcome
        self.body = body
    }
}

/// The result of one write-back attempt, applied only if the sequence is still current.
public struct WriteBackUpdate: Sendable, Hashable {
    public var dossierCode: String
    public var sequence: Int
    public var state: WriteBackState
    public var attempts: Int
    public var nextAttemptAt: Timestamp?
    public var firstAttemptAt: Timestamp?
    public var lastError: String?

    public init(dossierCode: String, sequence: Int, state: WriteBackState, attempts: Int, nextAttemptAt: Timestamp?,
                firstAttemptAt: Timestamp?, lastError: String?) {
        self.dossierCode = dossierCode
        self.sequence = sequence
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstAttemptAt = firstAttemptAt
        self.lastError = lastError
    }
}
