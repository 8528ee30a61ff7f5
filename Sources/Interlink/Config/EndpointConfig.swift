import Foundation

/// How Interlink authenticates to one endpoint.
public enum EndpointAuth: Sendable, Hashable {
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(Secret)
    /// The key in a named header, e.g. `X-API-Key`.
    case apiKey(header: String, key: Secret)
    /// HTTP Basic: `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: Secret)
    /// Two headers, as provincial integration platforms (LGSP) ask: an access key and a secret key.
    case keyPair(accessHeader: String, accessKey: Secret, secretHeader: String, secretKey: Secret)

    /// The headers this auth adds to every request.
    public var headers: [(name: String, value: String)] {
        switch self {
        case .none: []
        case .bearer(let token): [("Authorization", "Bearer \(token.value)")]
        case .apiKey(let header, let key): [(header, key.value)]
        case .basic(let username, let password): [("Authorization", "Basic " + Data("\(username):\(password.value)".utf8).base64EncodedString())]
        case .keyPair(let accessHeader, let accessKey, let secretHeader, let secretKey):
            [(accessHeader, accessKey.value), (secretHeader, secretKey.value)]
        }
    }
}

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
        let auth = Self.readAuth(object.object("auth"), secrets: secrets, collector: collector)
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

    private static func readAuth(_ object: ConfigObjectReader?, secrets: SecretResolver, collector: IssueCollector) -> EndpointAuth {
        guard let object else { return .none }
        defer { object.finish() }
        switch object.string("type") {
        case "none":
            return .none
        case "bearer":
            guard let file = object.string("tokenFile") else { return .none }
            return secrets.read(file, at: object.path.appending("tokenFile"), collector: collector).map(EndpointAuth.bearer) ?? .none
        case "api-key":
            let header = headerName(object, "header")
            guard let key = secret(object, "keyFile", secrets: secrets, collector: collector), let header else { return .none }
            return .apiKey(header: header, key: key)
        case "basic":
            let username = object.string("username")
            if let username, username.isEmpty || username.contains(":") { object.report("username", "must be non-empty and hold no ':'") }
            guard let password = secret(object, "passwordFile", secrets: secrets, collector: collector), let username else { return .none }
            return .basic(username: username, password: password)
        case "key-pair":
            let accessHeader = headerName(object, "accessKeyHeader"), secretHeader = headerName(object, "secretKeyHeader")
            guard let accessKey = secret(object, "accessKeyFile", secrets: secrets, collector: collector),
                  let secretKey = secret(object, "secretKeyFile", secrets: secrets, collector: collector),
                  let accessHeader, let secretHeader else { return .none }
            return .keyPair(accessHeader: accessHeader, accessKey: accessKey, secretHeader: secretHeader, secretKey: secretKey)
        case .some:
            object.report("type", "must be one of: none, bearer, api-key, basic, key-pair")
            return .none
        case nil:
            return .none
        }
    }

    /// A required header name, reported at its JSON path when it cannot be one.
    private static func headerName(_ object: ConfigObjectReader, _ key: String) -> String? {
        let header = object.string(key)
        if let header, header.isEmpty || header.contains(where: { $0 == ":" || $0.isWhitespace }) {
            object.report(key, "not a valid HTTP header name")
        }
        return header
    }

    /// A required secret, read only from a file (or a systemd credential) named by `key`.
    private static func secret(_ object: ConfigObjectReader, _ key: String, secrets: SecretResolver, collector: IssueCollector) -> Secret? {
        guard let file = object.string(key) else { return nil }
        return secrets.read(file, at: object.path.appending(key), collector: collector)
    }

    private static func readTLS(_ object: ConfigObjectReader?, secrets: SecretResolver) -> TLSSettings {
        guard let object else { return TLSSettings() }
        defer { object.finish() }
        func file(_ key: String) -> String? {
            guard let name = object.optionalString(key) else { return nil }
            let path = secrets.path(for: name)
            if !FileBytes.exists(path) { object.report(key, "file \(path) does not exist") }
            return path
        }
        let settings = TLSSettings(caFile: file("caFile"), clientCertificateFile: file("clientCertificateFile"),
                                   clientKeyFile: file("clientKeyFile"))
        if (settings.clientCertificateFile == nil) != (settings.clientKeyFile == nil) {
            object.report("mTLS needs both clientCertificateFile and clientKeyFile")
        }
        return settings
    }
}
