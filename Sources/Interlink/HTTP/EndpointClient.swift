/// Sends requests to one configured endpoint (the register or an agency): base URL,
/// credentials, timeouts, TLS, response limit and concurrency bound all come from config.
public struct EndpointClient: Sendable {
    /// `register` or the agency's name; also the concurrency group its requests share.
    public let name: String
    /// Base URL, credentials, timeouts, TLS and limits applied to every request.
    public let config: EndpointConfig
    private let http: HTTPClient

    /// A client for the endpoint `name`, sending through the shared `http` client.
    public init(name: String, config: EndpointConfig, http: HTTPClient) {
        self.name = name
        self.config = config
        self.http = http
    }

    /// `path` is relative to the base URL and may carry a query built with ``queryString(_:)``.
    public func send(_ method: String, _ path: String, body: [UInt8]? = nil,
                     idempotencyKey: String? = nil) async -> Result<HTTPResponse, HTTPClientError> {
        var headers = HTTPHeaders()
        headers.add("Accept", "application/json")
        if body != nil { headers.add("Content-Type", "application/json") }
        if let idempotencyKey { headers.add("Idempotency-Key", idempotencyKey) }
        for auth in config.auth.headers { headers.add(auth.name, auth.value) }
        let options = HTTPRequestOptions(connectTimeoutMs: config.connectTimeoutMs, timeoutMs: config.requestTimeoutMs,
                                         maxResponseBytes: config.maxResponseBytes, tls: config.tls,
                                         concurrencyGroup: name, maxConcurrent: config.maxConcurrent)
        do {
            return .success(try await http.send(HTTPRequest(method: method, url: config.baseURL + path, headers: headers,
                                                            body: body, options: options)))
        } catch {
            return .failure(error)
        }
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
