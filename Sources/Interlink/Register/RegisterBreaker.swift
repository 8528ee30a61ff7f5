/// One circuit breaker and one backoff for the register, shared by polls and write-backs.
///
/// After ``threshold`` technical failures in a row the register is *down*: no request starts
/// but one probe at a time, each after a backoff that grows with the failures (the register's
/// `retry` policy). The first success brings it back. Pure, with explicit times, so its tests
/// need no clock; ``RegisterHealth`` drives it and says what an operator needs, once.
struct RegisterBreaker: Sendable, Equatable {
    /// Technical failures in a row that take the register down.
    static let threshold = 3

    /// A change an operator hears about, once.
    enum Change: Sendable, Equatable {
        case wentDown(failures: Int)
        case cameBack(failedAttempts: Int, since: Timestamp)
    }

    /// The register's retry policy, which shapes the backoff between probes.
    var retry: RetryPolicyConfig
    private(set) var consecutiveFailures = 0
    /// When the register went down; nil while it answers.
    private(set) var downSince: Timestamp?
    /// When it last answered.
    private(set) var lastSuccess: Timestamp?
    /// When the next probe may start, while down.
    private(set) var nextProbe: Timestamp?
    private var probing = false

    init(retry: RetryPolicyConfig) {
        self.retry = retry
    }

    /// How many of `wanted` requests may start now: all while the register answers; while it
    /// is down, one probe once its time has come and no other probe is out.
    mutating func allowance(_ wanted: Int, now: Timestamp) -> Int {
        guard downSince != nil else { return wanted }
        guard wanted > 0, !probing, let nextProbe, now >= nextProbe else { return 0 }
        probing = true
        return 1
    }

    /// A probe that was allowed but not sent (nothing to send) is given back.
    mutating func unused() {
        probing = false
    }

    /// The register answered (whatever it said: it is up). While it is down, only the probe's
    /// answer counts: a request that started before the outage and ends well says nothing
    /// about now, and would make the breaker flap.
    mutating func succeeded(now: Timestamp) -> Change? {
        if downSince != nil, !probing { return nil }
        defer {
            consecutiveFailures = 0
            downSince = nil
            nextProbe = nil
            probing = false
            lastSuccess = now
        }
        guard let downSince else { return nil }
        return .cameBack(failedAttempts: consecutiveFailures, since: downSince)
    }

    /// A request failed for a technical reason (no answer, 5xx, a timeout).
    mutating func failed(now: Timestamp, jitter: Double = Double.random(in: 0.5..<1)) -> Change? {
        consecutiveFailures += 1
        probing = false
        guard consecutiveFailures >= Self.threshold else { return nil }
        nextProbe = now.adding(milliseconds: max(50, RetrySchedule(policy: retry).backoffMs(attempts: consecutiveFailures, jitter: jitter)))
        guard downSince == nil else { return nil }
        downSince = now
        return .wentDown(failures: consecutiveFailures)
    }
}
