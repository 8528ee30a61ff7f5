/// How Interlink authenticates to one endpoint. Every secret comes from a file or a systemd
/// credential, never from the config file itself.
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
    /// A signature of each request, computed with a shared secret (``HMACSigning``).
    case hmac(HMACSigning)
    /// OAuth2 client credentials: a token from the token endpoint, cached until shortly before it expires.
    indirect case oauth2(OAuth2ClientCredentials)
    /// A session login: the credentials are posted once, the session token carried after,
    /// and the login repeated when the endpoint answers 401.
    case session(SessionLogin)

    /// The headers this auth adds to every request whatever its content; the signed and
    /// token-based schemes add theirs per request (``EndpointCredentials``).
    public var staticHeaders: [(name: String, value: String)] {
        switch self {
        case .bearer(let token): [("Authorization", "Bearer \(token.value)")]
        case .apiKey(let header, let key): [(header, key.value)]
        case .basic(let username, let password): [("Authorization", "Basic " + Base64.encode("\(username):\(password.value)".utf8))]
        case .keyPair(let accessHeader, let accessKey, let secretHeader, let secretKey):
            [(accessHeader, accessKey.value), (secretHeader, secretKey.value)]
        case .none, .hmac, .oauth2, .session: []
        }
    }
}

/// `signatureHeader: hex(HMAC-SHA256(secret, METHOD \n path \n timestamp \n hex(SHA-256(body))))`,
/// with the key id and the timestamp (Unix seconds) in their own headers, so the endpoint
/// can find the secret, recompute the signature and refuse an old request.
public struct HMACSigning: Sendable, Hashable {
    /// The key id the endpoint finds the secret by.
    public var keyID: String
    /// The header carrying the key id.
    public var keyIDHeader: String
    /// The shared secret, from a file or credential.
    public var secret: Secret
    /// The header carrying the signature.
    public var signatureHeader: String
    /// The header carrying the Unix time signed.
    public var timestampHeader: String

    /// The three headers for one request. `path` is the URL's path and query as sent.
    public func headers(method: String, path: String, body: [UInt8]?, at seconds: Int64) -> [(name: String, value: String)] {
        let canonical = [method, path, String(seconds), SHA256.hex(SHA256.hash(body ?? []))].joined(separator: "\n")
        let signature = SHA256.hex(SHA256.hmac(key: Array(secret.value.utf8), Array(canonical.utf8)))
        return [(keyIDHeader, keyID), (timestampHeader, String(seconds)), (signatureHeader, signature)]
    }
}

/// OAuth2's client-credentials grant (RFC 6749 §4.4): `POST tokenPath` on the token
/// endpoint, with the client's id and secret as HTTP Basic and `grant_type=client_credentials`.
public struct OAuth2ClientCredentials: Sendable, Hashable {
    /// The token endpoint, with its own base URL, TLS settings and timeouts.
    public var tokenEndpoint: EndpointConfig
    /// Where the token endpoint takes the grant.
    public var tokenPath: String
    /// The client id, sent with the secret as HTTP Basic.
    public var clientID: String
    /// The client secret, from a file or credential.
    public var clientSecret: Secret
    /// The scope asked for, if the endpoint wants one.
    public var scope: String?
}

/// A session login, as the national public-service portal asks: `POST loginPath` with
/// `{usernameField: username, passwordField: password}`, the token read at `tokenPointer`, and
/// carried in `header` (after `prefix`) or as the member `bodyField` of every JSON body.
public struct SessionLogin: Sendable, Hashable {
    /// Where the credentials are posted.
    public var loginPath: String
    /// The user name posted.
    public var username: String
    /// The password posted, from a file or credential.
    public var password: Secret
    /// The login body member holding the user name.
    public var usernameField: String
    /// The login body member holding the password.
    public var passwordField: String
    /// Where the session token is in the login answer.
    public var tokenPointer: JSONPointer
    /// The header the session travels in, if it travels in one.
    public var header: String?
    /// Written before the session in its header (e.g. `Bearer `).
    public var prefix: String
    /// The JSON body member the session travels in, if it travels in the body.
    public var bodyField: String?
}
