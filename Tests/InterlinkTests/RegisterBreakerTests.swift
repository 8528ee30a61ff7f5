import Testing
@testable import Interlink

/// The register's one breaker, with explicit times: down after three failures in a row, one
/// probe at a time after a growing backoff, up again on the probe's answer.
@Suite("Register breaker")
struct RegisterBreakerTests {
    let retry = RetryPolicyConfig(maxAttempts: 1_000, initialDelayMs: 200, maxDelayMs: 5_000, maxAgeSeconds: 3_600)
    let start = Timestamp(millisecondsSinceEpoch: 1_000_000)

    func at(_ ms: Int64) -> Timestamp { start.adding(milliseconds: ms) }

    @Test func threeFailuresInARowTakeItDownOnce() {
        var breaker = RegisterBreaker(retry: retry)
        #expect(breaker.failed(now: at(0), jitter: 1) == nil)
        #expect(breaker.failed(now: at(1), jitter: 1) == nil)
        #expect(breaker.allowance(4, now: at(2)) == 4, "still up after two")
        #expect(breaker.failed(now: at(2), jitter: 1) == .wentDown(failures: 3))
        #expect(breaker.failed(now: at(3), jitter: 1) == nil, "going down is told once")
        #expect(breaker.downSince == at(2))
    }

    @Test func whileDownOneProbeGoesOnceItsTimeHasCome() throws {
        var breaker = RegisterBreaker(retry: retry)
        for ms in 0..<3 { _ = breaker.failed(now: at(Int64(ms)), jitter: 1) }
        let next = try #require(breaker.nextProbe)
        #expect(breaker.allowance(4, now: next.adding(milliseconds: -1)) == 0)
        #expect(breaker.allowance(4, now: next) == 1)
        #expect(breaker.allowance(4, now: next) == 0, "one probe at a time")
        _ = breaker.failed(now: next, jitter: 1)
        let later = try #require(breaker.nextProbe)
        #expect(later.millisecondsSinceEpoch - next.millisecondsSinceEpoch > next.millisecondsSinceEpoch - at(2).millisecondsSinceEpoch,
                "the backoff grows")
    }

    @Test func onlyTheProbesAnswerBringsItBack() throws {
        var breaker = RegisterBreaker(retry: retry)
        for ms in 0..<3 { _ = breaker.failed(now: at(Int64(ms)), jitter: 1) }
        #expect(breaker.succeeded(now: at(5)) == nil, "a request that started before the outage says nothing about now")
        #expect(breaker.downSince != nil)
        let next = try #require(breaker.nextProbe)
        #expect(breaker.allowance(1, now: next) == 1)
        #expect(breaker.succeeded(now: next) == .cameBack(failedAttempts: 3, since: at(2)))
        #expect(breaker.downSince == nil && breaker.allowance(4, now: next) == 4 && breaker.lastSuccess == next)
    }

    @Test func anUnusedProbeIsGivenBack() throws {
        var breaker = RegisterBreaker(retry: retry)
        for ms in 0..<3 { _ = breaker.failed(now: at(Int64(ms)), jitter: 1) }
        let next = try #require(breaker.nextProbe)
        #expect(breaker.allowance(1, now: next) == 1)
        breaker.unused()
        #expect(breaker.allowance(1, now: next) == 1)
    }
}
