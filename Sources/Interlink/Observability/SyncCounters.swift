import Synchronization

/// Running totals since the engine started, for STATUS=, the demo summary and metrics.
public struct EngineCounters: Sendable, Hashable {
    /// Dossier versions stored for the first time.
    public var dossiersSeen = 0
    /// Dossiers (or register entries) quarantined with a reason.
    public var dossiersQuarantined = 0
    /// Dossiers whose procedure has no route.
    public var dossiersNotRouted = 0
    /// Requests sent to agencies.
    public var requests = 0
    /// Technical failures that scheduled another attempt.
    public var retries = 0
    /// Business rejections by agencies.
    public var rejections = 0
    /// Transfers that died.
    public var deadTransfers = 0
    /// Discrepancies found between results.
    public var discrepancies = 0
    /// Write-backs stored by the register and verified.
    public var writeBacks = 0
    /// Register polls that failed.
    public var registerFailures = 0
    /// Interconnection records read before planning a version the journal never saw.
    public var recordReads = 0
    /// Steps adopted from those records instead of being pushed again.
    public var stepsAdopted = 0
    /// Requests by agency and result class (`2xx`, `4xx`, `5xx`, `error`).
    public var responses: [String: [String: Int]] = [:]
    /// Retries per agency.
    public var retriesByAgency: [String: Int] = [:]
    /// Rejections per agency.
    public var rejectionsByAgency: [String: Int] = [:]
    /// Dead transfers per agency.
    public var deadByAgency: [String: Int] = [:]
    /// How long agency requests took, per agency.
    public var durations: [String: Histogram] = [:]

    /// All zero.
    public init() {}
}

/// The engine's counters, shared by its stages: each adds what it did, from any task.
public final class SyncCounters: Sendable {
    private let totals = Mutex(EngineCounters())

    /// All zero.
    public init() {}

    /// The totals now.
    public var snapshot: EngineCounters { totals.withLock { $0 } }

    /// Adds to the totals.
    func add(_ update: (inout EngineCounters) -> Void) {
        totals.withLock { update(&$0) }
    }
}
