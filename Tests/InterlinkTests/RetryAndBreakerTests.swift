import Interlink
import Testing

@Suite("Retry schedule and the circuit breaker")
struct RetryAndBreakerTests {
    @Test func backsOffExponentiallyWithFullJitterUnderACapAndNeverBeforeRetryAfter() {
        let schedule = RetrySchedule(policy: RetryPolicyConfig(maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000, maxAgeSeconds: 60))
        #expect(schedule.backoffMs(attempts: 1, jitter: 1) == 100)
        #expect(schedule.backoffMs(attempts: 3, jitter: 1) == 400)
        #expect(schedule.backoffMs(attempts: 9, jitter: 1) == 1_000)
        #expect(schedule.backoffMs(attempts: 3, jitter: 0.5) == 200)
        #expect(schedule.backoffMs(attempts: 3, jitter: 0) == 0)
        let now = Timestamp(millisecondsSinceEpoch: 10_000)
        #expect(schedule.next(attempts: 2, firstAttemptAt: now, now: now, retryAfterMs: 5_000, jitter: 1) == .retry(at: now.adding(milliseconds: 5_000)))
        #expect(schedule.next(attempts: 2, firstAttemptAt: now, now: now, retryAfterMs: nil, jitter: 1) == .retry(at: now.adding(milliseconds: 200)))
        if case .dead(let reason) = schedule.next(attempts: 5, firstAttemptAt: now, now: now, retryAfterMs: nil) {
            #expect(reason.contains("maxAttempts"))
        } else {
            Issue.record("the fifth failure of five allowed attempts must be dead")
        }
        if case .dead(let reason) = schedule.next(attempts: 1, firstAttemptAt: now, now: now.adding(milliseconds: 61_000), retryAfterMs: nil) {
            #expect(reason.contains("maxAgeSeconds"))
        } else {
            Issue.record("a transfer older than maxAgeSeconds must be dead")
        }
    }

    @Test func theBreakerOpensOnceProbesAndClosesOnce() {
        var breaker = CircuitBreaker(config: CircuitBreakerConfig(failureThreshold: 3, openSeconds: 10, halfOpenProbes: 1))
        let start = Timestamp(millisecondsSinceEpoch: 0)
        #expect(breaker.allowance(now: start, limit: 8) == 8)
        #expect(breaker.recordFailure(now: start) == nil)
        #expect(breaker.recordFailure(now: start) == nil)
        #expect(breaker.recordFailure(now: start) == .opened(failures: 3))
        #expect(breaker.recordFailure(now: start) == nil)
        #expect(breaker.allowance(now: start.adding(milliseconds: 9_999), limit: 8) == 0)
        #expect(breaker.allowance(now: start.adding(milliseconds: 10_000), limit: 8) == 1)
        #expect(breaker.state == .halfOpen)
        breaker.started()
        #expect(breaker.allowance(now: start.adding(milliseconds: 10_000), limit: 8) == 0)
        #expect(breaker.recordFailure(now: start.adding(milliseconds: 10_500)) == .reopened(failures: 5))
        #expect(breaker.allowance(now: start.adding(milliseconds: 20_500), limit: 8) == 1)
        breaker.started()
        #expect(breaker.recordSuccess() == .closed)
        #expect(breaker.recordSuccess() == nil)
        #expect(breaker.allowance(now: start.adding(milliseconds: 20_600), limit: 8) == 8)
    }

    @Test func aNeutralProbeGivesItsSlotBack() {
        var breaker = CircuitBreaker(config: CircuitBreakerConfig(failureThreshold: 1, openSeconds: 1, halfOpenProbes: 1))
        let start = Timestamp(millisecondsSinceEpoch: 0)
        _ = breaker.recordFailure(now: start)
        #expect(breaker.allowance(now: start.adding(milliseconds: 1_000), limit: 4) == 1)
        breaker.started()
        breaker.recordNeutral()  // cancelled at shutdown, say: nothing learnt about the agency
        #expect(breaker.allowance(now: start.adding(milliseconds: 1_000), limit: 4) == 1)
    }
}
