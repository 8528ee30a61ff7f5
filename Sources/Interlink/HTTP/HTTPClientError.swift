/// A request that produced no HTTP response: the network, TLS, a limit, or cancellation.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely; it decides whether the request is worth retrying.
    public enum Kind: String, Sendable, Hashable {
        /// The connect or total timeout passed.
        case timeout
        /// No connection, or it broke: refused, reset, DNS failure, empty reply.
        case connection
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The body exceeded the request's `maxResponseBytes`.
        case responseTooLarge = "response-too-large"
        /// The caller's task was cancelled, or the client shut down.
        case cancelled
        /// The exchange failed midway for another reason (a garbled reply, no memory): worth retrying.
        case transient
        /// The request can never be sent as configured: a malformed URL, an unsupported scheme.
        case other
    }

    /// The class of failure; see ``isTransient``.
    public let kind: Kind
    /// The URL without credentials or query.
    public let url: String
    /// The libcurl `CURLcode`, or 0 when the error did not come from libcurl.
    public let curlCode: Int32
    /// What libcurl (or the client) said went wrong.
    public let message: String

    /// Builds an error; `url` is redacted of credentials and query here.
    public init(kind: Kind, url: String, curlCode: Int32, message: String) {
        self.kind = kind
        self.url = Self.redact(url)
        self.curlCode = curlCode
        self.message = message
    }

    /// Whether retrying later may succeed.
    public var isTransient: Bool {
        switch kind {
        case .timeout, .connection, .tls, .responseTooLarge, .transient: true
        case .cancelled, .other: false
        }
    }

    /// One log line: the kind, the redacted URL, the curl code, the message and what to check.
    public var description: String {
        let advice: String
        switch kind {
        case .timeout: advice = "the endpoint was too slow; it will be retried (check the agency, or raise timeouts.requestMs)"
        case .connection: advice = "could not talk to the endpoint; check that it is up and that baseURL is right"
        case .tls: advice = "TLS failed; check tls.caFile, the client certificate and the server's host name"
        case .responseTooLarge: advice = "the response was larger than maxResponseBytes"
        case .cancelled: advice = "the request was cancelled"
        case .transient: advice = "the exchange failed midway; it will be retried"
        case .other: advice = "libcurl cannot send this request; check the URL in the config"
        }
        let code = curlCode == 0 ? "" : " (curl \(curlCode))"
        return "\(kind.rawValue) error for \(url)\(code): \(message); \(advice)"
    }

    /// Removes `user:password@` and the query string, which may carry credentials.
    static func redact(_ url: String) -> String {
        var text = Substring(url)
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        guard let schemeEnd = text.firstRange(of: "://") else { return String(text) }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        guard let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") else { return String(text) }
        return String(text[..<authorityStart] + text[text.index(after: at)...])
    }
}
