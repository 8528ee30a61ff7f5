/// How one run of the engine behaves.
public struct EngineOptions: Sendable {
    /// Exit once nothing is ready, sending or due soon and the register has nothing new.
    public var untilIdle = false
    /// In until-idle mode, retries and receipt polls due later than this count as idle.
    public var idleHorizonSeconds = 20
    /// How often a heartbeat and the live summary are written.
    public var heartbeatSeconds = 2

    /// Options for one run.
    public init(untilIdle: Bool = false, idleHorizonSeconds: Int = 20) {
        self.untilIdle = untilIdle
        self.idleHorizonSeconds = idleHorizonSeconds
    }
}
