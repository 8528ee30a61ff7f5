/// TLS settings. Peer and host verification and TLS ≥ 1.2 are not configurable: they are always on.
public struct TLSSettings: Sendable, Hashable {
    /// A CA bundle to trust instead of the system's.
    public var caFile: String?
    /// A client certificate and key for mTLS.
    public var clientCertificateFile: String?
    /// The private key of `clientCertificateFile`; the config requires both or neither.
    public var clientKeyFile: String?

    /// Builds TLS settings from file paths; nil trusts the system CAs and sends no client certificate.
    public init(caFile: String? = nil, clientCertificateFile: String? = nil, clientKeyFile: String? = nil) {
        self.caFile = caFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
    }
}

/// An HTTP service Interlink calls: the register or an agency.
public struct EndpointConfig: Sendable, Hashable {
    /// Absolute http(s) URL without a trailing slash; operation paths are appended to it.
    public var baseURL: String
    /// The credentials added to every request; `none` by default.
    public var auth: EndpointAuth
    /// This endpoint's own CA bundle and mTLS files, if any.
    public var tls: TLSSettings
    /// How long to wait for a connection, in milliseconds (`timeouts.connectMs`, 3000 by default).
    public var connectTimeoutMs: Int
    /// How long a whole request may take, in milliseconds (`timeouts.requestMs`, 15000 by default).
    public var requestTimeoutMs: Int
    /// At most this many requests to the endpoint are in flight at once.
    public var maxConcurrent: Int
    /// A response larger than this is aborted and treated as malformed.
    public var maxResponseBytes: Int

    /// Builds an endpoint's settings; the defaults are those the config file falls back to.
    public init(baseURL: String, auth: EndpointAuth = .none, tls: TLSSettings = TLSSettings(),
                connectTimeoutMs: Int = 3_000, requestTimeoutMs: Int = 15_000,
                maxConcurrent: Int = 16, maxResponseBytes: Int = 1 << 20) {
        self.baseURL = baseURL
        self.auth = auth
        self.tls = tls
        self.connectTimeoutMs = connectTimeoutMs
        self.requestTimeoutMs = requestTimeoutMs
        self.maxConcurrent = maxConcurrent
        self.maxResponseBytes = maxResponseBytes
    }
}

extension EndpointConfig {
    init?(reading object: ConfigObjectReader, secrets: SecretResolver, collector: IssueCollector) {
        let url = object.string("baseURL").flatMap { text -> String? in
            if let problem = Self.urlProblem(text) {
                object.report("baseURL", problem)
                return nil
            }
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }
        let auth = EndpointAuth(reading: object.object("auth"), secrets: secrets, collector: collector)
        let tls = Self.readTLS(object.object("tls"), secrets: secrets)
        let timeouts = object.object("timeouts")
        let connect = timeouts?.int("connectMs", default: 3_000, in: 1...120_000) ?? 3_000
        let request = timeouts?.int("requestMs", default: 15_000, in: 1...600_000) ?? 15_000
        timeouts?.finish()
        let concurrency = object.int("maxConcurrent", default: 16, in: 1...1_024)
        let maxBytes = object.int("maxResponseBytes", default: 1 << 20, in: 1_024...(256 << 20))
        guard let url else { return nil }
        self.init(baseURL: url, auth: auth, tls: tls, connectTimeoutMs: connect, requestTimeoutMs: request,
                  maxConcurrent: concurrency, maxResponseBytes: maxBytes)
    }

    /// Why `text` cannot be a base URL, or `nil` when it can.
    static func urlProblem(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return "not an absolute http(s) URL"
        }
        let afterScheme = text[text.index(text.firstIndex(of: ":")!, offsetBy: 3)...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.isEmpty { return "not an absolute http(s) URL: the host is missing" }
        if authority.contains("@") { return "must not carry credentials; use auth.tokenFile instead" }
        if text.contains("?") || text.contains("#") { return "must not have a query or fragment" }
        if text.contains(where: { $0 == " " || $0.isNewline }) { return "must not contain spaces" }
        return nil
    }

    private static func readTLS(_ object: ConfigObjectReader?, secrets: SecretResolver) -> TLSSettings {
        guard let object else { return TLSSettings() }
        defer { object.finish() }
        func file(_ key: String, secret: Bool) -> String? {
            guard let name = object.optionalString(key) else { return nil }
            let path = secret ? secrets.path(for: name) : secrets.publicPath(for: name)
            if case .failure(let problem) = FileBytes.readRegularFile(path, limit: 4 << 20) { object.report(key, "file \(path) \(problem)") }
            return path
        }
        let settings = TLSSettings(caFile: file("caFile", secret: false), clientCertificateFile: file("clientCertificateFile", secret: false),
                                   clientKeyFile: file("clientKeyFile", secret: true))
        if (settings.clientCertificateFile == nil) != (settings.clientKeyFile == nil) {
            object.report("mTLS needs both clientCertificateFile and clientKeyFile")
        }
        return settings
    }
}
