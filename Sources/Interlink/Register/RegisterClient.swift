/// The one-stop register's API (CONTRACTS.md) over its configured endpoint. Every answer is
/// classified by the one rule, ``PeerAnswer``; the poller, the re-read after a version
/// conflict and the write-backs all go through here and share the endpoint's slots.
struct RegisterClient: Sendable {
    let endpoint: EndpointClient

    /// The client for the register `settings` name.
    init(settings: RegisterConfig, http: HTTPClient) {
        endpoint = EndpointClient(name: "register", config: settings.endpoint, http: http)
    }

    /// One page of the change list strictly after `position` (the whole list when `nil`).
    func page(after position: RegisterCursor?, limit: Int) async throws(RegisterError) -> [UInt8] {
        var query: [(String, String)] = []
        if let position {
            query.append(("updatedSince", position.updatedSince))
            if !position.afterCode.isEmpty { query.append(("afterCode", position.afterCode)) }
        }
        query.append(("limit", String(limit)))
        return try await read("/dossiers" + EndpointClient.queryString(query), what: "a page") ?? []
    }

    /// One dossier's current version, or `nil` when the register does not know it.
    func dossier(code: String) async throws(RegisterError) -> [UInt8]? {
        try await read("/dossiers/\(EndpointClient.percentEncode(code))", what: "dossier \(code)", notFoundIsNil: true)
    }

    /// The interconnection record the register stores for a dossier (what a daemon wrote
    /// back, perhaps from a journal since lost), or `nil` when there is none yet.
    func interconnection(code: String) async throws(RegisterError) -> [UInt8]? {
        try await read("/dossiers/\(EndpointClient.percentEncode(code))/interconnection", what: "dossier \(code)'s interconnection record",
                       notFoundIsNil: true)
    }

    /// Stores a dossier's interconnection record (the write-back), under its key.
    func writeBack(_ record: WriteBackRecord) async -> PeerAnswer {
        PeerAnswer.classify(await endpoint.send("PUT", "/dossiers/\(EndpointClient.percentEncode(record.dossierCode))/interconnection",
                                                body: Array(record.body.utf8), idempotencyKey: record.idempotencyKey))
    }

    /// The body of a 200; `nil` for a 404 when `notFoundIsNil`.
    private func read(_ path: String, what: String, notFoundIsNil: Bool = false) async throws(RegisterError) -> [UInt8]? {
        try Self.interpret(await endpoint.send("GET", path), what: what, notFoundIsNil: notFoundIsNil,
                           maxResponseBytes: endpoint.config.maxResponseBytes)
    }

    /// What an answer to a read means: classified by the one rule (``PeerAnswer``). Pure.
    static func interpret(_ result: Result<HTTPResponse, HTTPClientError>, what: String, notFoundIsNil: Bool = false,
                          maxResponseBytes: Int) throws(RegisterError) -> [UInt8]? {
        if case .failure(let error) = result, error.kind == .responseTooLarge {
            throw RegisterError(.tooLarge, "the register's answer to \(what) is larger than register.maxResponseBytes "
                                + "(\(maxResponseBytes) bytes): \(error.description)")
        }
        switch PeerAnswer.classify(result) {
        case .success(let response) where response.status == 200: return response.body
        case .success(let response): throw RegisterError(.malformed, "the register answered HTTP \(response.status) to \(what), not 200")
        case .technical(let reason, _): throw RegisterError(.unavailable, reason)
        case .conflict(let code): throw RegisterError(.unavailable, "HTTP 409 (\(code ?? "conflict")) to \(what)")
        case .cancelled: throw RegisterError(.unavailable, "the request for \(what) was cancelled at shutdown")
        case .unauthorized(let reason): throw RegisterError(.unauthorized, reason)
        case .refused: throw RegisterError(.refused, "HTTP 422 to \(what)")
        case .fatal(404, _) where notFoundIsNil: return nil
        case .fatal(let status, let reason): throw RegisterError(.refused, status.map { "HTTP \($0) to \(what)" } ?? reason)
        }
    }
}
