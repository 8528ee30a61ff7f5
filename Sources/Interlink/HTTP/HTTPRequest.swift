/// One HTTP exchange for ``HTTPClient``.
public struct HTTPRequest: Sendable {
    public var method: String
    /// An absolute http(s) URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    public var options: HTTPRequestOptions

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
    public var connectTimeoutMs: Int
    public var timeoutMs: Int
    /// Past this many body bytes the transfer is aborted with ``HTTPClientError/Kind/responseTooLarge``.
    public var maxResponseBytes: Int
    public var tls: TLSSettings
    /// Requests sharing a group are bounded together by `maxConcurrent`; usually the endpoint's name.
    public var concurrencyGroup: String
    public var maxConcurrent: Int

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
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

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
