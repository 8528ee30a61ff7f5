/// One HTTP exchange for ``HTTPClient``.
public struct HTTPRequest: Sendable {
    /// The HTTP method, e.g. `GET` or `POST`; sent upper-cased.
    public var method: String
    /// An absolute http(s) URL.
    public var url: String
    /// Header fields, sent in order (a field whose value holds CR or LF is dropped).
    public var headers: HTTPHeaders
    /// The request body, if any (a `GET` without one is a plain GET).
    public var body: [UInt8]?
    /// Timeouts, response limit, TLS and concurrency bound for this request.
    public var options: HTTPRequestOptions

    /// Builds a request; by default without headers or body and with ``HTTPRequestOptions`` defaults.
    public init(method: String, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]? = nil,
                options: HTTPRequestOptions = HTTPRequestOptions()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.options = options
    }
}

/// Limits and TLS settings that apply to one request (usually copied from its endpoint).
public struct HTTPRequestOptions: Sendable, Hashable {
    /// How long to wait for the connection (TLS included), in milliseconds.
    public var connectTimeoutMs: Int
    /// How long the whole exchange may take, in milliseconds.
    public var timeoutMs: Int
    /// Past this many body bytes the transfer is aborted with ``HTTPClientError/Kind/responseTooLarge``.
    public var maxResponseBytes: Int
    /// CA, client certificate and key files; peer and host verification stay on.
    public var tls: TLSSettings
    /// Requests sharing a group are bounded together by `maxConcurrent`; usually the endpoint's name.
    public var concurrencyGroup: String
    /// How many requests of `concurrencyGroup` may run at once; the rest wait their turn.
    public var maxConcurrent: Int

    /// Builds options; the defaults are 3 s to connect, 15 s in all, 1 MiB of body and 64 at once per group.
    public init(connectTimeoutMs: Int = 3_000, timeoutMs: Int = 15_000, maxResponseBytes: Int = 1 << 20,
                tls: TLSSettings = TLSSettings(), concurrencyGroup: String = "default", maxConcurrent: Int = 64) {
        self.connectTimeoutMs = connectTimeoutMs
        self.timeoutMs = timeoutMs
        self.maxResponseBytes = maxResponseBytes
        self.tls = tls
        self.concurrencyGroup = concurrencyGroup
        self.maxConcurrent = maxConcurrent
    }
}

/// A complete response. Any status is a response; only transport failures are errors.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response's header fields, in the order received.
    public var headers: HTTPHeaders
    /// The full response body, at most the request's `maxResponseBytes`.
    public var body: [UInt8]

    /// Builds a response; used by the client and by tests.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body parsed as strict JSON.
    public func json() throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(body)
    }
}
