/// The token an OAuth2 or session endpoint needs, fetched once and shared by every request
/// to the endpoint: a burst of requests waits for one login, not one login each.
actor EndpointCredentials {
    /// Why no token could be had: the login's own answer (a 401 there is the operator's
    /// to fix, a 503 a reason to retry), or no answer at all.
    enum Failure: Error {
        case answer(HTTPResponse)
        case transport(HTTPClientError)
    }

    private let auth: EndpointAuth
    private let login: EndpointClient?
    private var cached: (token: String, renewAt: ContinuousClock.Instant?)?
    private var pending: Task<Result<(String, ContinuousClock.Instant?), Failure>, Never>?

    init(auth: EndpointAuth, endpoint: EndpointConfig, name: String, http: HTTPClient) {
        self.auth = auth
        switch auth {
        case .oauth2(let grant): login = EndpointClient(name: name + "-token", config: grant.tokenEndpoint, http: http)
        case .session: login = EndpointClient(name: name, config: EndpointConfig(baseURL: endpoint.baseURL, tls: endpoint.tls,
                                                                                  connectTimeoutMs: endpoint.connectTimeoutMs,
                                                                                  requestTimeoutMs: endpoint.requestTimeoutMs), http: http)
        default: login = nil
        }
    }

    /// The current token, logging in first when there is none or it is about to expire.
    func token() async -> Result<String, Failure> {
        if let cached, cached.renewAt.map({ ContinuousClock.now < $0 }) ?? true { return .success(cached.token) }
        let task = pending ?? Task { await fetch() }
        pending = task
        let result = await task.value
        pending = nil
        if case .success(let fresh) = result { cached = fresh }
        return result.map(\.0)
    }

    /// Drops `token` after the endpoint refused it (a 401), so the next request logs in again.
    func forget(_ token: String) {
        if cached?.token == token { cached = nil }
    }

    private func fetch() async -> Result<(String, ContinuousClock.Instant?), Failure> {
        guard let login else { return .failure(.transport(HTTPClientError(kind: .other, url: "", curlCode: 0, message: "no login configured"))) }
        let result: Result<HTTPResponse, HTTPClientError>
        let pointer: JSONPointer
        switch auth {
        case .oauth2(let grant):
            var form = "grant_type=client_credentials"
            if let scope = grant.scope { form += "&scope=" + EndpointClient.percentEncode(scope) }
            let basic = Base64.encode("\(EndpointClient.percentEncode(grant.clientID)):\(EndpointClient.percentEncode(grant.clientSecret.value))".utf8)
            result = await login.send("POST", grant.tokenPath, body: Array(form.utf8),
                                      headers: [("Authorization", "Basic " + basic)],
                                      contentType: "application/x-www-form-urlencoded")
            pointer = JSONPointer(tokens: ["access_token"])
        case .session(let session):
            let body: JSONValue = .object([session.usernameField: .string(session.username), session.passwordField: .string(session.password.value)])
            result = await login.send("POST", session.loginPath, body: JSONWriter.bytes(body))
            pointer = session.tokenPointer
        default:
            return .failure(.transport(HTTPClientError(kind: .other, url: "", curlCode: 0, message: "no login configured")))
        }
        switch result {
        case .failure(let error): return .failure(.transport(error))
        case .success(let response):
            guard (200...299).contains(response.status), let json = try? response.json(),
                  let token = pointer.resolve(in: json)?.stringValue, !token.isEmpty else {
                // A 2xx without a token is as good as no answer: worth another attempt, not a credential problem.
                return (200...299).contains(response.status)
                    ? .failure(.transport(HTTPClientError(kind: .transient, url: "", curlCode: 0,
                                                          message: "the login answered without a token at \(pointer)")))
                    : .failure(.answer(response))
            }
            // Renewed a tenth of its life (at most a minute) before it expires, so no request carries a stale token.
            let renewAt = json["expires_in"]?.numberValue.map { seconds -> ContinuousClock.Instant in
                let margin = min(60, seconds / 10)
                return ContinuousClock.now + .milliseconds(Int64(max(0, seconds - margin) * 1_000))
            }
            return .success((token, renewAt))
        }
    }
}
