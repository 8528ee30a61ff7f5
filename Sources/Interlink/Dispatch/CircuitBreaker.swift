/// A per-agency circuit breaker: after `failureThreshold` consecutive technical failures it
/// opens and no request goes to the agency for `openSeconds`; then a few probes are let
/// through (half-open), and their success closes it again.
///
/// A plain value driven by the engine's ``Scheduler`` with explicit times, so tests need no clock.
public struct CircuitBreaker: Sendable, Equatable {
    /// Whether requests may go to the agency: all (closed), none (open) or a few probes (half-open).
    public enum State: String, Sendable, Equatable {
        case closed
        case open
        case halfOpen = "half-open"
    }

    /// A change worth one log line; the breaker reports each opening and closing once.
    public enum Transition: Sendable, Equatable {
        case opened(failures: Int)
        /// A half-open probe failed: open again. Not news to an operator who saw it open.
        case reopened(failures: Int)
        case closed
    }

    /// The agency's thresholds: failures that open it, seconds it stays open, probes that close it.
    public let config: CircuitBreakerConfig
    /// Where the breaker stands; moved by the `record` methods and by ``allowance(now:limit:)``.
    public private(set) var state: State = .closed
    private var consecutiveFailures = 0
    private var openedAt: Timestamp?
    private var probesInFlight = 0
    private var probeSuccesses = 0

    /// A closed breaker with the agency's thresholds.
    public init(config: CircuitBreakerConfig) {
        self.config = config
    }

    /// How many requests may start now, given `inFlight` already running; moves open → half-open when due.
    public mutating func allowance(now: Timestamp, limit: Int) -> Int {
        if state == .open, let openedAt, now.millisecondsSinceEpoch - openedAt.millisecondsSinceEpoch >= Int64(config.openSeconds) * 1_000 {
            state = .halfOpen
            probesInFlight = 0
            probeSuccesses = 0
        }
        switch state {
        case .closed: return limit
        case .open: return 0
        case .halfOpen: return max(0, config.halfOpenProbes - probesInFlight - probeSuccesses)
        }
    }

    /// Call for each request started while half-open.
    public mutating func started() {
        if state == .halfOpen { probesInFlight += 1 }
    }

    /// A request that says nothing about the agency's health (cancelled, refused before sending)
    /// gives its probe slot back, so a half-open circuit cannot run out of probes.
    public mutating func recordNeutral() {
        if state == .halfOpen { probesInFlight = max(0, probesInFlight - 1) }
    }

    /// Records a healthy answer; returns `.closed` when it was the last half-open probe needed to close.
    public mutating func recordSuccess() -> Transition? {
        consecutiveFailures = 0
        guard state == .halfOpen else { return nil }
        probesInFlight = max(0, probesInFlight - 1)
        probeSuccesses += 1
        guard probeSuccesses >= config.halfOpenProbes else { return nil }
        state = .closed
        return .closed
    }

    /// Records a technical failure at `now`; returns `.opened` or `.reopened` when it opens the circuit.
    public mutating func recordFailure(now: Timestamp) -> Transition? {
        consecutiveFailures += 1
        switch state {
        case .halfOpen:
            state = .open
            openedAt = now
            return .reopened(failures: consecutiveFailures)
        case .closed where consecutiveFailures >= config.failureThreshold:
            state = .open
            openedAt = now
            return .opened(failures: consecutiveFailures)
        default:
            return nil
        }
    }

    /// When an open circuit lets probes through, for scheduling the next look.
    public var reopensAt: Timestamp? {
        guard state == .open, let openedAt else { return nil }
        return openedAt.adding(milliseconds: Int64(config.openSeconds) * 1_000)
    }
}
