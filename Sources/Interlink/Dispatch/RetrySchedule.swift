/// When a transfer's next attempt is due after a technical failure, or that it is dead.
public struct RetrySchedule: Sendable {
    /// The attempt and age budgets and the backoff bounds.
    public let policy: RetryPolicyConfig

    /// A schedule following `policy`.
    public init(policy: RetryPolicyConfig) {
        self.policy = policy
    }

    /// After a failed attempt: try again at a given time, or give up on the transfer as dead.
    public enum Decision: Sendable, Equatable {
        case retry(at: Timestamp)
        /// The budget is spent; the reason says which one.
        case dead(reason: String)
    }

    /// Decides after failed attempt number `attempts` (1 for the first) of a transfer first
    /// tried at `firstAttemptAt`. Backoff is capped exponential with full jitter; a server's
    /// `Retry-After` is a floor, so no attempt comes earlier than it allows.
    public func next(attempts: Int, firstAttemptAt: Timestamp, now: Timestamp, retryAfterMs: Int64?,
                     jitter: Double = Double.random(in: 0..<1)) -> Decision {
        if attempts >= policy.maxAttempts {
            return .dead(reason: "gave up after \(attempts) attempts (retry.maxAttempts)")
        }
        let age = now.millisecondsSinceEpoch - firstAttemptAt.millisecondsSinceEpoch
        if age >= Int64(policy.maxAgeSeconds) * 1_000 {
            return .dead(reason: "gave up after \(age / 1_000) s of retries (retry.maxAgeSeconds)")
        }
        let delay = max(backoffMs(attempts: attempts, jitter: jitter), retryAfterMs ?? 0)
        return .retry(at: now.adding(milliseconds: delay))
    }

    /// Full jitter: a uniform delay between 0 and the capped exponential bound.
    public func backoffMs(attempts: Int, jitter: Double) -> Int64 {
        let exponent = min(max(attempts - 1, 0), 40)
        let bound = min(Double(policy.maxDelayMs), Double(policy.initialDelayMs) * Double(sign: .plus, exponent: exponent, significand: 1))
        return Int64(bound * min(max(jitter, 0), 1))
    }
}
