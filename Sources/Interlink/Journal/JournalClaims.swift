/// What a daemon asks for when it claims due transfers.
public struct TransferClaimRequest: Sendable, Hashable {
    /// The claiming daemon instance.
    public var owner: String
    /// Work due by then.
    public var dueBy: Timestamp
    /// At most this many per agency.
    public var limits: [String: Int]
    /// Transfers this daemon is already working on.
    public var excludingTransfers: Set<Int64>
    /// Dossiers this daemon is planning now.
    public var excludingDossiers: Set<String>
    /// Instances whose heartbeat is older than this are dead: what they held is claimable.
    public var liveSince: Timestamp
    /// Whether to look for work left in `sending` (a settle that failed, a dead instance's),
    /// which costs a walk over every transfer in flight; a daemon asks about once a second.
    public var includeAbandoned: Bool

    /// A claim request; see each member.
    public init(owner: String, dueBy: Timestamp, limits: [String: Int], excludingTransfers: Set<Int64> = [], excludingDossiers: Set<String> = [],
                liveSince: Timestamp, includeAbandoned: Bool = true) {
        self.includeAbandoned = includeAbandoned
        self.owner = owner
        self.dueBy = dueBy
        self.limits = limits
        self.excludingTransfers = excludingTransfers
        self.excludingDossiers = excludingDossiers
        self.liveSince = liveSince
    }
}

/// What a daemon asks for when it claims due write-backs.
public struct WriteBackClaimRequest: Sendable, Hashable {
    /// The claiming daemon instance.
    public var owner: String
    /// Write-backs due by then.
    public var dueBy: Timestamp
    /// At most this many.
    public var limit: Int
    /// Dossiers whose write-back this daemon is sending now.
    public var excludingDossiers: Set<String>
    /// Instances whose heartbeat is older than this are dead: what they held is claimable.
    public var liveSince: Timestamp
    /// The targets the claiming sender serves (a progress report is claimable only once its
    /// dossier sync was acknowledged).
    public var targets: Set<WriteBackTarget>

    /// A claim request; see each member.
    public init(owner: String, dueBy: Timestamp, limit: Int, excludingDossiers: Set<String> = [], liveSince: Timestamp,
                targets: Set<WriteBackTarget> = [.register]) {
        self.targets = targets
        self.owner = owner
        self.dueBy = dueBy
        self.limit = limit
        self.excludingDossiers = excludingDossiers
        self.liveSince = liveSince
    }
}

/// A condition a batch needs to hold when it commits; if one fails, nothing of the batch is
/// written and its result says so.
public enum BatchPrecondition: Sendable, Hashable {
    /// The dossier version still has this outcome and exactly this many unreconciled changes
    /// (nobody changed or reconciled it since it was read), so an outcome is never written
    /// from stale data, and two nodes reconciling one dossier queue one write-back.
    case dossierUnchanged(DossierKey, pendingChanges: Int, outcome: DossierOutcome)
    /// `holder` still holds the lease `name` with `token` (a poller that lost its lease
    /// never moves the cursor).
    case lease(name: String, holder: String, token: Int64)
}
