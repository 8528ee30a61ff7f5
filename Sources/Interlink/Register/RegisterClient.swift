/// The one-stop register's API over its configured endpoint, shaped as `register.api` says
/// (CONTRACTS.md by default); answers come back in the contract's shapes whatever the register's. Every answer is
/// classified by the one rule, ``PeerAnswer``; the poller, the re-read after a version
/// conflict and the write-backs all go through here and share the endpoint's slots.
struct RegisterClient: Sendable {
    let endpoint: EndpointClient
    let api: RegisterAPI

    /// The client for the register `settings` name.
    init(settings: RegisterConfig, http: HTTPClient) {
        endpoint = EndpointClient(name: "register", config: settings.endpoint, http: http)
        api = settings.api
    }

    /// One page of the change list strictly after `position` (the whole list when `nil`).
    func page(after position: RegisterCursor?, limit: Int) async throws(RegisterError) -> [UInt8] {
        var query: [(String, String)] = []
        if let position {
            query.append((api.list.updatedSinceParameter, position.updatedSince))
            if !position.afterCode.isEmpty { query.append((api.list.afterCodeParameter, position.afterCode)) }
        }
        query.append((api.list.limitParameter, String(limit)))
        let bytes = try await read(api.list.path + EndpointClient.queryString(query), what: "a page") ?? []
        return api.pagesAreContract ? bytes : try api.canonicalPage(bytes)
    }

    /// One dossier's current version, or `nil` when the register does not know it.
    func dossier(code: String) async throws(RegisterError) -> [UInt8]? {
        try await read(api.dossier, code: code, what: "dossier \(code)", mapsDossier: true)
    }

    /// The interconnection record the register stores for a dossier (what a daemon wrote
    /// back, perhaps from a journal since lost), or `nil` when there is none yet.
    func interconnection(code: String) async throws(RegisterError) -> [UInt8]? {
        try await read(api.record, code: code, what: "dossier \(code)'s interconnection record", mapsDossier: false)
    }

    /// Stores a dossier's interconnection record (the write-back), under its key.
    func writeBack(_ record: WriteBackRecord) async -> PeerAnswer {
        let body: [UInt8]
        switch api.writeBack.body.map({ _ in api.writeBackBody(record) }) ?? .success(Array(record.body.utf8)) {
        case .success(let bytes): body = bytes
        case .failure(let error): return .fatal(status: nil, reason: "register.api.writeBack.body cannot be filled: \(error); fix the template, then replay")
        }
        guard case .success(let path) = api.writeBack.path.fill(named: ["code": record.dossierCode]) else {
            return .fatal(status: nil, reason: "register.api.writeBack.path cannot be filled")
        }
        let answer = PeerAnswer.classify(await endpoint.send(api.writeBack.method, path, body: body,
                                                             headers: [(api.writeBack.keyHeader, record.idempotencyKey)]))
        guard case .success(var response) = answer else { return answer }
        if let failure = api.failure(in: response) { return .technical(reason: failure, retryAfterMs: nil) }
        // The stored record comes back where the record reads find it, and is verified in the contract's shape.
        if !api.record.pointer.tokens.isEmpty {
            response.body = (try? response.json()).flatMap { api.record.pointer.resolve(in: $0) }.map(JSONWriter.bytes) ?? []
        }
        return .success(response)
    }

    /// A read of one dossier's `read`, in the contract's shape; `nil` when the register does not know it.
    private func read(_ read: RegisterAPI.Read, code: String, what: String, mapsDossier: Bool) async throws(RegisterError) -> [UInt8]? {
        guard case .success(let path) = read.path.fill(named: ["code": code]) else { throw RegisterError(.refused, "\(read.path) cannot be filled") }
        guard let bytes = try await self.read(path, what: what, notFoundIsNil: true) else { return nil }
        return try api.canonicalRead(bytes, pointer: read.pointer, mapsDossier: mapsDossier, what: what)
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
