import Foundation

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
        case .basic(let username, let password): [("Authorization", "Basic " + Data("\(username):\(password.value)".utf8).base64EncodedString())]
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
    public var keyID: String
    public var keyIDHeader: String
    public var secret: Secret
    public var signatureHeader: String
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
    public var tokenPath: String
    public var clientID: String
    public var clientSecret: Secret
    public var scope: String?
}

/// A session login, as the national public-service portal asks: `POST loginPath` with
/// `{usernameField: username, passwordField: password}`, the token read at `tokenPointer`, and
/// carried in `header` (after `prefix`) or as the member `bodyField` of every JSON body.
public struct SessionLogin: Sendable, Hashable {
    public var loginPath: String
    public var username: String
    public var password: Secret
    public var usernameField: String
    public var passwordField: String
    public var tokenPointer: JSONPointer
    public var header: String?
    public var prefix: String
    public var bodyField: String?
}
