/// An agency over HTTP, spoken in its configured ``AgencyDialect``: by default the project's
/// contract (CONTRACTS.md), otherwise whatever methods, paths, headers and answer shapes the
/// agency's `dialect` describes.
public struct DialectAgencyClient: AgencyClient {
    /// The agency's configured endpoint.
    public let endpoint: EndpointClient

    /// A client for the agency behind `endpoint`.
    public init(endpoint: EndpointClient) {
        self.endpoint = endpoint
    }

    /// Sends `body` to `path` with the dialect's method and headers.
    public func push(path: String, body: [UInt8], idempotencyKey: String, dialect: AgencyDialect) async -> AgencyReply {
        await send(.push, dialect, dialect.method, path, body: body, key: idempotencyKey)
    }

    /// Asks about `receipt` as the dialect's `receiptPoll` says.
    public func followReceipt(_ receipt: String, dialect: AgencyDialect) async -> AgencyReply {
        await call(dialect.receiptPoll, .followReceipt(receipt), receipt: receipt, dialect: dialect, key: nil)
    }

    /// Withdraws `receipt` as the dialect's `cancel` says, under its own key.
    public func cancelReceipt(_ receipt: String, idempotencyKey: String, dialect: AgencyDialect) async -> AgencyReply {
        await call(dialect.cancel, .cancelReceipt(receipt), receipt: receipt, dialect: dialect, key: idempotencyKey)
    }

    private func call(_ call: AgencyDialect.Call, _ request: AgencyDialect.Request, receipt: String, dialect: AgencyDialect, key: String?) async -> AgencyReply {
        guard case .success(let path) = call.path.fill(named: ["receipt": receipt]) else {
            return AgencyReply(answer: .fatal(reason: "the receipt path \(call.path) cannot be filled"), status: nil, durationMs: 0)
        }
        return await send(request, dialect, call.method, path, body: call.body.map(JSONWriter.bytes), key: key)
    }

    private func send(_ request: AgencyDialect.Request, _ dialect: AgencyDialect, _ method: String, _ path: String,
                      body: [UInt8]?, key: String?) async -> AgencyReply {
        let clock = ContinuousClock()
        let started = clock.now
        var headers = dialect.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        if let key { headers.append((dialect.keyHeader, key)) }
        let result = await endpoint.send(method, path, body: body, headers: headers)
        let elapsed = clock.now - started
        let durationMs = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return AgencyReply(answer: dialect.interpret(result, to: request), status: try? result.get().status, durationMs: durationMs)
    }
}
