/// An agency that speaks the project's contract (CONTRACTS.md): `POST` operations answering
/// `{receipt, status, result}`, `GET /receipts/{receipt}` and `POST /receipts/{receipt}/cancel`.
public struct ContractAgencyClient: AgencyClient {
    /// The agency's configured endpoint.
    public let endpoint: EndpointClient

    /// A client for the agency behind `endpoint`.
    public init(endpoint: EndpointClient) {
        self.endpoint = endpoint
    }

    /// Which of the three requests an answer is to: each reads a success (and a 409) its own way.
    enum Request: Sendable, Hashable {
        case push
        case followReceipt(String)
        case cancelReceipt(String)

        var isCancellation: Bool {
            if case .cancelReceipt = self { true } else { false }
        }
    }

    /// `POST`s `body` to the `operation` path; 202 is a receipt: see ``AgencyClient/push(operation:body:idempotencyKey:)``.
    public func push(operation: String, body: [UInt8], idempotencyKey: String) async -> AgencyReply {
        await send(.push, "POST", operation, body: body, key: idempotencyKey)
    }

    /// `GET /receipts/{receipt}`: see ``AgencyClient/followReceipt(_:)``.
    public func followReceipt(_ receipt: String) async -> AgencyReply {
        await send(.followReceipt(receipt), "GET", Self.receiptPath(receipt), body: nil, key: nil)
    }

    /// `POST /receipts/{receipt}/cancel` with body `{}`: see ``AgencyClient/cancelReceipt(_:idempotencyKey:)``.
    public func cancelReceipt(_ receipt: String, idempotencyKey: String) async -> AgencyReply {
        await send(.cancelReceipt(receipt), "POST", Self.receiptPath(receipt) + "/cancel", body: Array("{}".utf8), key: idempotencyKey)
    }

    static func receiptPath(_ receipt: String) -> String {
        "/receipts/\(EndpointClient.percentEncode(receipt))"
    }

    private func send(_ request: Request, _ method: String, _ path: String, body: [UInt8]?, key: String?) async -> AgencyReply {
        let clock = ContinuousClock()
        let started = clock.now
        let result = await endpoint.send(method, path, body: body, idempotencyKey: key)
        let elapsed = clock.now - started
        let durationMs = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return AgencyReply(answer: Self.interpret(result, to: request), status: try? result.get().status, durationMs: durationMs)
    }

    /// What an answer to `request` means: classified by the one rule (``PeerAnswer``), then
    /// read as this contract says. Pure.
    static func interpret(_ result: Result<HTTPResponse, HTTPClientError>, to request: Request) -> AgencyAnswer {
        switch PeerAnswer.classify(result) {
        case .success(let response):
            switch request {
            case .push: return response.status == 202 ? receipt(response) : decision(response)
            case .followReceipt: return decision(response)
            case .cancelReceipt:
                return (try? response.json())?["status"]?.stringValue == "cancelled" ? .cancelled
                    : malformed("a cancellation answered without status cancelled")
            }
        case .refused(let reasons): return .rejected(reasons: reasons)
        // For a cancellation, 409 is the contract's "already decided": that decision stands and is followed.
        case .conflict where request.isCancellation:
            return .alreadyDecided
        case .conflict(let code): return .technical(reason: "HTTP 409" + (code.map { " (\($0))" } ?? ""), retryAfterMs: nil)
        case .technical(let reason, let retryAfterMs): return .technical(reason: reason, retryAfterMs: retryAfterMs)
        case .unauthorized(let reason): return .fatal(reason: reason)
        case .fatal(404, _):
            switch request {
            case .followReceipt(let receipt), .cancelReceipt(let receipt): return .fatal(reason: "the agency no longer knows receipt \(receipt)")
            case .push: return .fatal(reason: "HTTP 404: the agency has no such operation; check the route's operation path, then replay")
            }
        case .fatal(_, let reason): return .fatal(reason: reason)
        case .cancelled: return .handedBack
        }
    }

    /// A `202`: the receipt to follow.
    private static func receipt(_ response: HTTPResponse) -> AgencyAnswer {
        guard let receipt = (try? response.json())?["receipt"]?.stringValue, !receipt.isEmpty else {
            return malformed("202 without a receipt")
        }
        return .accepted(receipt: receipt)
    }

    /// A decision body: `{"receipt":…, "status":"completed", "result":{…}}`, or a pending,
    /// rejected or cancelled status (operation answers and receipt polls alike).
    private static func decision(_ response: HTTPResponse) -> AgencyAnswer {
        let body: JSONValue
        do {
            body = try response.json()
        } catch {
            return malformed("\(error)")
        }
        let receipt = body["receipt"]?.stringValue
        switch body["status"]?.stringValue {
        case "completed":
            guard let result = body["result"], case .object = result else { return malformed("completed without a result object") }
            return .completed(receipt: receipt, result: result)
        case "accepted", "processing":
            guard let receipt, !receipt.isEmpty else { return malformed("accepted without a receipt") }
            return .accepted(receipt: receipt)
        case "rejected":
            return .rejected(reasons: body["reasons"]?.arrayValue ?? [])
        case "cancelled":
            return .cancelled
        default:
            return malformed("unknown status \(body["status"].map(JSONWriter.string) ?? "missing")")
        }
    }

    private static func malformed(_ what: String) -> AgencyAnswer {
        .technical(reason: "malformed answer: \(what)", retryAfterMs: nil)
    }
}
