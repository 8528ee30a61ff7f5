/// Sends requests to one configured endpoint (the register or an agency): base URL,
/// credentials, timeouts, TLS, response limit and concurrency bound all come from config.
public struct EndpointClient: Sendable {
    /// `register` or the agency's name; also the concurrency group its requests share.
    public let name: String
    /// Base URL, credentials, timeouts, TLS and limits applied to every request.
    public let config: EndpointConfig
    private let http: HTTPClient
    private let credentials: EndpointCredentials?

    /// A client for the endpoint `name`, sending through the shared `http` client.
    public init(name: String, config: EndpointConfig, http: HTTPClient) {
        self.name = name
        self.config = config
        self.http = http
        switch config.auth {
        case .oauth2, .session: credentials = EndpointCredentials(auth: config.auth, endpoint: config, name: name, http: http)
        default: credentials = nil
        }
    }

    /// `path` is relative to the base URL and may carry a query built with ``queryString(_:)``.
    /// A token-based endpoint that answers 401 gets one more attempt with a fresh token.
    public func send(_ method: String, _ path: String, body: [UInt8]? = nil, idempotencyKey: String? = nil,
                     headers extra: [(name: String, value: String)] = [], contentType: String = "application/json") async -> Result<HTTPResponse, HTTPClientError> {
        var renewed = false
        while true {
            var headers = HTTPHeaders()
            headers.add("Accept", "application/json")
            if body != nil { headers.add("Content-Type", contentType) }
            if let idempotencyKey { headers.add("Idempotency-Key", idempotencyKey) }
            for header in extra { headers.add(header.name, header.value) }
            for auth in config.auth.staticHeaders { headers.add(auth.name, auth.value) }
            var sent = body
            var token: String?
            switch config.auth {
            case .hmac(let signing):
                for header in signing.headers(method: method, path: urlPath(path), body: body, at: Timestamp.now().millisecondsSinceEpoch / 1_000) {
                    headers.add(header.name, header.value)
                }
            case .oauth2, .session:
                switch await credentials!.token() {
                case .failure(.answer(let response)): return .success(response)
                case .failure(.transport(let error)): return .failure(error)
                case .success(let current):
                    token = current
                    sent = carry(current, in: &headers, body: body)
                }
            default: break
            }
            let result = await exchange(method, path, headers: headers, body: sent)
            if let token, !renewed, case .success(let response) = result, response.status == 401 {
                await credentials!.forget(token)
                renewed = true
                continue
            }
            return result
        }
    }

    private func exchange(_ method: String, _ path: String, headers: HTTPHeaders, body: [UInt8]?) async -> Result<HTTPResponse, HTTPClientError> {
        let options = HTTPRequestOptions(connectTimeoutMs: config.connectTimeoutMs, timeoutMs: config.requestTimeoutMs,
                                         maxResponseBytes: config.maxResponseBytes, tls: config.tls,
                                         concurrencyGroup: name, maxConcurrent: config.maxConcurrent)
        do {
            return .success(try await http.send(HTTPRequest(method: method, url: config.baseURL + path, headers: headers, body: body, options: options)))
        } catch {
            return .failure(error)
        }
    }

    /// Puts a token where the endpoint wants it: `Authorization: Bearer` for OAuth2, the
    /// session's header or a member of the JSON body. Returns the body to send.
    private func carry(_ token: String, in headers: inout HTTPHeaders, body: [UInt8]?) -> [UInt8]? {
        switch config.auth {
        case .oauth2: headers.add("Authorization", "Bearer \(token)")
        case .session(let session):
            if let header = session.header { headers.add(header, session.prefix + token) }
            if let field = session.bodyField, let body, case .object(var members)? = try? JSONParser.parse(body) {
                members[field] = .string(token)
                return JSONWriter.bytes(.object(members))
            }
        default: break
        }
        return body
    }

    /// The path and query as the server sees them: the base URL's own path, then `path`.
    private func urlPath(_ path: String) -> String {
        let afterScheme = config.baseURL.firstRange(of: "://").map { config.baseURL[$0.upperBound...] } ?? Substring(config.baseURL)
        let basePath = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? ""
        return basePath + path
    }

    /// `?a=1&b=2` with names and values percent-encoded; empty when there is nothing to send.
    public static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func percentEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += "%" + Hex.string([byte], uppercase: true)
            }
        }
        return output
    }
}
