import Interlink
import InterlinkTestSupport
import Testing

@Suite("Retry rules, classification and the circuit breaker")
struct RetryRulesTests {
    enum Expected: Equatable { case completed, accepted, rejected, retry, dead, handedBack }

    static func kind(_ classification: ResponseClassification) -> Expected {
        switch classification {
        case .completed: .completed
        case .accepted: .accepted
        case .rejected: .rejected
        case .technical: .retry
        case .fatal: .dead
        case .handedBack: .handedBack
        }
    }

    static func response(_ status: Int, _ body: String = "{}", headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test(arguments: [
        (200, #"{"receipt":"R","status":"completed","result":{"a":1}}"#, Expected.completed),
        (200, #"{"receipt":"R","status":"accepted"}"#, .accepted),
        (202, #"{"receipt":"R","status":"accepted"}"#, .accepted),
        (422, #"{"error":{"code":"business-rule","fields":[{"pointer":"/x","message":"no"}]}}"#, .rejected),
        (422, #"{"error":{"code":"validation-failed"}}"#, .rejected),
        (422, #"{"error":{"code":"idempotency-key-reused"}}"#, .dead),
        (400, #"{"error":{"code":"idempotency-key-missing"}}"#, .dead),
        (401, "{}", .dead),
        (403, "{}", .dead),
        (404, "{}", .dead),
        (408, "{}", .retry),
        (409, #"{"error":{"code":"idempotency-key-in-flight"}}"#, .retry),
        (429, "{}", .retry),
        (500, "{}", .retry),
        (502, "not json", .retry),
        (503, "{}", .retry),
        (504, "{}", .retry),
        (200, #"{"receipt":"R","status":"comple"#, .retry),
        (200, #"{"receipt":"R","status":"completed"}"#, .retry),
        (202, #"{}"#, .retry),
        (422, "garbage", .retry),
    ])
    func classifiesStatusCodes(status: Int, body: String, expected: Expected) {
        #expect(Self.kind(ResponseClassifier.classify(Self.response(status, body))) == expected)
    }

    @Test(arguments: [
        (HTTPClientError.Kind.timeout, Expected.retry), (.connection, .retry), (.tls, .retry), (.responseTooLarge, .retry), (.transient, .retry),
        (.cancelled, .handedBack), (.other, .dead),
    ])
    func classifiesTransportErrors(kind: HTTPClientError.Kind, expected: Expected) {
        let error = HTTPClientError(kind: kind, url: "https://land.example/registrations", curlCode: 28, message: "x")
        #expect(Self.kind(ResponseClassifier.classify(.failure(error))) == expected)
    }

    @Test func honoursRetryAfterInBothForms() {
        let now = Timestamp(rfc3339: "2025-11-20T02:00:00.000Z")!
        let seconds = ResponseClassifier.classify(Self.response(429, headers: ["Retry-After": "120"]), now: now)
        #expect(seconds == .technical(reason: "HTTP 429", retryAfterMs: 120_000))
        let date = ResponseClassifier.classify(Self.response(503, headers: ["Retry-After": "Thu, 20 Nov 2025 02:00:30 GMT"]), now: now)
        #expect(date == .technical(reason: "HTTP 503", retryAfterMs: 30_000))
        #expect(HTTPDate.format(now) == "Thu, 20 Nov 2025 02:00:00 GMT")
        #expect(RetryAfter.milliseconds("soon", now: now) == nil)
    }

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
