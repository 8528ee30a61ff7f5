@testable import Interlink
import InterlinkTestSupport
import Testing

/// The one rule for answers (``PeerAnswer``) and how each request reads it: agency
/// operations, receipt polls, receipt cancellations, register pages and write-backs.
@Suite("Answer classification: one table for every request")
struct AnswerClassificationTests {
    enum Kind: Equatable { case success, refused, conflict, technical, unauthorized, fatal, cancelled }

    static func kind(_ answer: PeerAnswer) -> Kind {
        switch answer {
        case .success: .success
        case .refused: .refused
        case .conflict: .conflict
        case .technical: .technical
        case .unauthorized: .unauthorized
        case .fatal: .fatal
        case .cancelled: .cancelled
        }
    }

    static func response(_ status: Int, _ body: String = "{}", headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    static func failure(_ kind: HTTPClientError.Kind) -> Result<HTTPResponse, HTTPClientError> {
        .failure(HTTPClientError(kind: kind, url: "https://land.example/registrations", curlCode: 28, message: "x"))
    }

    @Test(arguments: [
        (200, "{}", Kind.success), (202, "{}", .success), (204, "", .success),
        (422, #"{"error":{"code":"business-rule","fields":[{"pointer":"/x","message":"no"}]}}"#, .refused),
        (422, #"{"error":{"code":"validation-failed"}}"#, .refused),
        (422, #"{"error":{"code":"idempotency-key-reused"}}"#, .fatal),
        (422, "garbage", .technical),
        (409, #"{"error":{"code":"idempotency-key-in-flight"}}"#, .technical),
        (409, #"{"error":{"code":"version-conflict","currentVersion":4}}"#, .conflict),
        (409, #"{"error":{"code":"already-decided"}}"#, .conflict),
        (400, #"{"error":{"code":"idempotency-key-missing"}}"#, .fatal),
        (401, "{}", .unauthorized), (403, "{}", .unauthorized), (404, "{}", .fatal), (410, "{}", .fatal),
        (408, "{}", .technical), (425, "{}", .technical), (429, "{}", .technical),
        (500, "{}", .technical), (502, "not json", .technical), (503, "{}", .technical), (504, "{}", .technical),
    ])
    func classifiesStatusCodes(status: Int, body: String, expected: Kind) {
        #expect(Self.kind(PeerAnswer.classify(Self.response(status, body))) == expected)
    }

    @Test(arguments: [
        (HTTPClientError.Kind.timeout, Kind.technical), (.connection, .technical), (.tls, .technical), (.responseTooLarge, .technical),
        (.transient, .technical), (.cancelled, .cancelled), (.other, .fatal),
    ])
    func classifiesTransportErrors(kind: HTTPClientError.Kind, expected: Kind) {
        #expect(Self.kind(PeerAnswer.classify(Self.failure(kind))) == expected)
    }

    @Test func honoursRetryAfterInBothForms() {
        let now = Timestamp(rfc3339: "2025-11-20T02:00:00.000Z")!
        guard case .technical(_, let seconds) = PeerAnswer.classify(Self.response(429, headers: ["Retry-After": "120"]), now: now),
              case .technical(_, let date) = PeerAnswer.classify(Self.response(503, headers: ["Retry-After": "Thu, 20 Nov 2025 02:00:30 GMT"]), now: now) else {
            Issue.record("429 and 503 are technical")
            return
        }
        #expect(seconds == 120_000 && date == 30_000)
        #expect(HTTPDate.format(now) == "Thu, 20 Nov 2025 02:00:00 GMT")
        #expect(RetryAfter.milliseconds("soon", now: now) == nil)
    }

    typealias Request = AgencyDialect.Request

    static func agency(_ status: Int, _ body: String, _ request: Request) -> AgencyAnswer {
        AgencyDialect.contract.interpret(.success(response(status, body)), to: request)
    }

    @Test func agencyOperationsReadDecisionsReceiptsAndRejections() {
        #expect(Self.agency(200, #"{"receipt":"R","status":"completed","result":{"a":1}}"#, .push) == .completed(receipt: "R", result: ["a": 1]))
        #expect(Self.agency(200, #"{"receipt":"R","status":"accepted"}"#, .push) == .accepted(receipt: "R"))
        #expect(Self.agency(202, #"{"receipt":"R","status":"accepted"}"#, .push) == .accepted(receipt: "R"))
        #expect(Self.agency(422, #"{"error":{"code":"business-rule","fields":[{"pointer":"/x","message":"no"}]}}"#, .push)
            == .rejected(reasons: [["pointer": "/x", "message": "no", "code": "business-rule"]]), "the agency's code is kept for the register")
        for malformed in [(200, #"{"receipt":"R","status":"comple"#), (200, #"{"receipt":"R","status":"completed"}"#), (202, "{}"),
                          (200, #"{"ok":true}"#)] {
            guard case .technical(let reason, _) = Self.agency(malformed.0, malformed.1, .push) else {
                Issue.record("\(malformed) must be a technical failure")
                continue
            }
            #expect(reason.hasPrefix("malformed answer"))
        }
        guard case .technical(let reason, _) = Self.agency(409, #"{"error":{"code":"idempotency-key-in-flight"}}"#, .push) else {
            Issue.record("a key in flight is retried")
            return
        }
        #expect(reason.contains("409"))
    }

    @Test func receiptPollsAndCancellationsReadTheirOwnAnswers() {
        let poll = Request.followReceipt("R")
        #expect(Self.agency(200, #"{"receipt":"R","status":"processing","result":null}"#, poll) == .accepted(receipt: "R"))
        #expect(Self.agency(200, #"{"receipt":"R","status":"rejected","reasons":[{"message":"x"}]}"#, poll) == .rejected(reasons: [["message": "x"]]))
        #expect(Self.agency(200, #"{"receipt":"R","status":"cancelled"}"#, poll) == .cancelled)
        #expect(Self.agency(404, "{}", poll) == .fatal(reason: "the agency no longer knows receipt R"))
        let cancel = Request.cancelReceipt("R")
        #expect(Self.agency(200, #"{"status":"cancelled"}"#, cancel) == .cancelled)
        #expect(Self.agency(409, #"{"error":{"code":"already-decided"}}"#, cancel) == .alreadyDecided)
        if case .technical = Self.agency(200, #"{"status":"ok"}"#, cancel) {} else { Issue.record("an unconfirmed cancellation is retried") }
        if case .technical = Self.agency(503, "{}", cancel) {} else { Issue.record("a 503 to a cancellation is retried") }
    }

    /// A 401 or 403 is a configuration error wherever it comes back, and is never retried
    /// for ever: agency requests die (replayable once fixed); polling and write-backs pause
    /// until a reload, and the write-back waits, unchanged, to be sent then.
    @Test(arguments: [401, 403])
    func credentialsRefusedAnywhereAreNeverRetriedForEver(status: Int) throws {
        let agency = AgencyConfig(name: "land", endpoint: EndpointConfig(baseURL: "https://land.example", auth: .none))
        for request in [Request.push, .followReceipt("R"), .cancelReceipt("R")] {
            let answer = Self.agency(status, "{}", request)
            guard case .fatal(let reason) = answer else {
                Issue.record("\(request): \(answer)")
                continue
            }
            #expect(reason.contains("credentials"))
            let transfer = TransferFixtures.record(state: request == .push ? .sending : request.isCancellation ? .cancelling : .accepted)
            let action = TransferAction(state: transfer.state)
            #expect(TransferTransition.after(answer, to: transfer, action: action, agency: agency, now: .now())?.update.state == .dead)
        }
        #expect { try RegisterClient.interpret(.success(Self.response(status)), what: "a page", maxResponseBytes: 1) } throws: {
            ($0 as? RegisterError)?.code == .unauthorized
        }
        let writeBack = WriteBackRecord(dossierCode: "A", dossierVersion: 1, sequence: 1, outcome: .completed, body: "{}", idempotencyKey: "k",
                                        state: .pending, attempts: 0, nextAttemptAt: nil, firstAttemptAt: nil, lastError: nil)
        let outcome = WriteBackOutcome.after(PeerAnswer.classify(Self.response(status)), to: writeBack, retry: RetryPolicyConfig(), now: .now())
        #expect(outcome == nil, "the write-back stays pending, no attempt counted")
    }

    @Test func registerReadsTellTheirFailuresApart() throws {
        func code(_ result: Result<HTTPResponse, HTTPClientError>, notFoundIsNil: Bool = false) -> RegisterError.Code? {
            do {
                _ = try RegisterClient.interpret(result, what: "a page", notFoundIsNil: notFoundIsNil, maxResponseBytes: 10)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(.success(Self.response(503))) == .unavailable)
        #expect(code(Self.failure(.connection)) == .unavailable)
        #expect(code(Self.failure(.responseTooLarge)) == .tooLarge)
        #expect(code(.success(Self.response(404))) == .refused)
        #expect(code(.success(Self.response(404)), notFoundIsNil: true) == nil)
        #expect(code(.success(Self.response(204))) == .malformed)
        #expect(try RegisterClient.interpret(.success(Self.response(200, "[]")), what: "a page", maxResponseBytes: 10) == Array("[]".utf8))
    }

    @Test func writeBacksAreVerifiedSupersededRetriedOrDead() {
        let record = WriteBackRecord(dossierCode: "A", dossierVersion: 2, sequence: 1, outcome: .completed, body: "{}", idempotencyKey: "k",
                                     state: .pending, attempts: 0, nextAttemptAt: nil, firstAttemptAt: nil, lastError: nil)
        func state(_ status: Int, _ body: String = "{}") -> WriteBackState? {
            WriteBackOutcome.after(PeerAnswer.classify(Self.response(status, body)), to: record, retry: RetryPolicyConfig(), now: .now())?.update.state
        }
        #expect(state(200, #"{"dossierVersion":2,"outcome":"completed"}"#) == .sent)
        #expect(state(200, #"{"dossierVersion":1,"outcome":"completed"}"#) == .pending, "not verified: sent again")
        #expect(state(409, #"{"error":{"code":"version-conflict","currentVersion":3}}"#) == .superseded)
        #expect(WriteBackOutcome.after(PeerAnswer.classify(Self.response(409, #"{"error":{"code":"version-conflict"}}"#)), to: record,
                                       retry: RetryPolicyConfig(), now: .now())?.reread == true)
        #expect(state(409, #"{"error":{"code":"idempotency-key-in-flight"}}"#) == .pending)
        #expect(state(422, #"{"error":{"code":"validation-failed"}}"#) == .dead)
        #expect(state(404) == .dead && state(400) == .dead)
        #expect(state(503) == .pending)
        #expect(WriteBackOutcome.after(.cancelled, to: record, retry: RetryPolicyConfig(), now: .now()) == nil)
    }
}
