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

/// Where a write-back goes. The register gets the interconnection record; the national
/// portal, when progress reports are configured, gets the dossier first and its progress
/// only once the dossier was acknowledged. Each is one row per dossier, with its own body,
/// key, retries and state.
public enum WriteBackTarget: String, Sendable, Hashable, CaseIterable, Comparable {
    case register
    /// The portal's dossier sync (DongBoHoSoMC).
    case portalDossier = "portal-dossier"
    /// The portal's progress report (CapNhatTienDoHoSoMC), sent only after the dossier sync of the same or a later version.
    case portalProgress = "portal-progress"

    /// How a log line or `status` names it.
    public var title: String {
        switch self {
        case .register: "write-back"
        case .portalDossier: "portal dossier sync"
        case .portalProgress: "portal progress report"
        }
    }

    public static func < (lhs: WriteBackTarget, rhs: WriteBackTarget) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The latest write-back of a dossier to one target.
public struct WriteBackRecord: Sendable, Hashable {
    /// The register's code of the dossier, e.g. `H12.22-251120-0001`.
    public var dossierCode: String
    /// The dossier version whose outcome this write-back reports.
    public var dossierVersion: Int
    /// Grows with every new body; part of the idempotency key.
    public var sequence: Int
    /// The outcome the body reports to the register.
    public var outcome: DossierOutcome
    /// The exact bytes sent, identical on every retry.
    public var body: String
    /// Sent with every attempt so the register stores the body once: `<code>:v<version>:writeback:<digest of the body>`.
    public var idempotencyKey: String
    /// Where this write-back stands.
    public var state: WriteBackState
    /// Attempts made for this body so far; back to 0 when a new body replaces it.
    public var attempts: Int
    /// When the next attempt is due; nil when none is scheduled.
    public var nextAttemptAt: Timestamp?
    /// When this body was first tried (the retry age budget counts from it); nil before the first attempt.
    public var firstAttemptAt: Timestamp?
    /// Why the last attempt failed; nil before any attempt and after a success.
    public var lastError: String?
    /// The daemon instance sending it now; nil when none.
    public var claimedBy: String? = nil
    /// The fencing token, as for transfers: a settle writes only while it still holds it.
    public var claimToken: Int64 = 0
    /// Where it goes.
    public var target: WriteBackTarget = .register
}

/// A new write-back body for a dossier version. The journal assigns its sequence and key,
/// and ignores it when the same body is already queued or sent.
public struct WriteBackRequest: Sendable, Hashable {
    /// The register's code of the dossier to write back to.
    public var dossierCode: String
    /// The dossier version the outcome was derived from.
    public var dossierVersion: Int
    /// The outcome to report.
    public var outcome: DossierOutcome
    /// The JSON body to send, byte for byte as it will go out on every attempt.
    public var body: String
    /// Where it goes.
    public var target: WriteBackTarget

    /// A request to queue `body` for `target`, reporting `outcome` for version `dossierVersion` of dossier `dossierCode`.
    public init(dossierCode: String, dossierVersion: Int, outcome: DossierOutcome, body: String, target: WriteBackTarget = .register) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.outcome = outcome
        self.body = body
        self.target = target
    }
}

/// The result of one write-back attempt, applied only if the sequence is still current.
public struct WriteBackUpdate: Sendable, Hashable {
    /// Applied only while the write-back still holds this fencing token; nil applies it whatever the token.
    public var fence: Int64?
    /// The dossier whose write-back this updates.
    public var dossierCode: String
    /// Which of its write-backs.
    public var target: WriteBackTarget = .register
    /// The body the attempt sent; the update is dropped when a newer body has replaced it since.
    public var sequence: Int
    /// The write-back's new state.
    public var state: WriteBackState
    /// Attempts made for this body so far, this one included.
    public var attempts: Int
    /// When to try again; nil when no retry is scheduled.
    public var nextAttemptAt: Timestamp?
    /// When the body was first tried, carried forward for the retry age budget.
    public var firstAttemptAt: Timestamp?
    /// Why the attempt failed; nil clears the previous error.
    public var lastError: String?
    /// Applied only while the write-back is still in this state (a replay of a dead one), so
    /// two replays racing each other resend it once.
    public var expectedState: WriteBackState?
    /// A new key to send the body under (the drift sweep rewriting a record someone changed:
    /// under the old key the register would answer with what it stored then).
    public var idempotencyKey: String?

    /// An update with the attempt's result; each parameter sets the property of the same name.
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

/// Write-backs by where they stand, for `status` and `/metrics`: the register learns an
/// outcome only through them, so one that waits or died is a dossier a clerk sees wrong.
public struct WriteBackCounts: Sendable, Hashable {
    /// Queued and never tried yet.
    public var pending = 0
    /// Tried, failed for a technical reason, and due again.
    public var retrying = 0
    /// Given up on: the register never learned these outcomes (replay them).
    public var dead = 0
    /// Stored by the register and verified.
    public var sent = 0
    /// When the oldest write-back still waiting (pending or retrying) was first tried, or queued.
    public var oldestWaitingSince: Timestamp?
    /// The same counts for each other target (the portal's), when there are any; the
    /// members above count the register's.
    public var otherTargets: [WriteBackTarget: WriteBackCounts] = [:]

    /// No write-backs.
    public init() {}
}
