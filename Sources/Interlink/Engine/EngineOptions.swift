/// How one run of the engine behaves.
public struct EngineOptions: Sendable {
    /// Exit once nothing is ready, sending or due soon and the register has nothing new.
    public var untilIdle = false
    /// In until-idle mode, retries and receipt polls due later than this count as idle.
    public var idleHorizonSeconds = 20
    /// How often a heartbeat and the live summary are written.
    public var heartbeatSeconds = 2

    public init(untilIdle: Bool = false, idleHorizonSeconds: Int = 20) {
        self.untilIdle = untilIdle
        self.idleHorizonSeconds = idleHorizonSeconds
    }
}

/// Running totals since the engine started, for STATUS=, the demo summary and metrics.
public struct EngineCounters: Sendable, Hashable {
    public var dossiersSeen = 0
    public var dossiersQuarantined = 0
    public var dossiersNotRouted = 0
    public var requests = 0
    public var retries = 0
    public var rejections = 0
    public var deadTransfers = 0
    public var discrepancies = 0
    public var writeBacks = 0
    public var registerFailures = 0
    /// Requests by agency and result class (`2xx`, `4xx`, `5xx`, `error`).
    public var responses: [String: [String: Int]] = [:]
    public var retriesByAgency: [String: Int] = [:]
    public var rejectionsByAgency: [String: Int] = [:]
    public var deadByAgency: [String: Int] = [:]
    /// How long agency requests took, per agency.
    public var durations: [String: Histogram] = [:]

    public init() {}
}
