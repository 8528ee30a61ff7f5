/// Why the register could not be read or written this time, and what to do about it.
public struct RegisterError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this was; it decides whether the poller retries or pauses.
    public enum Code: String, Sendable, Hashable {
        /// No answer, a timeout, a 5xx or 429: retried with backoff.
        case unavailable
        /// 401 or 403: the register refused our credentials. Polling pauses until a reload.
        case unauthorized
        /// The register refused the request (400, 404, 422): our request or base URL is wrong.
        case refused
        /// The answer does not follow the register's contract.
        case malformed
        /// A single dossier is larger than `register.maxResponseBytes`.
        case tooLarge = "too-large"
        /// The journal refused the poll's changes.
        case journal
    }

    /// What kind of failure this was.
    public let code: Code
    /// What happened, with the register's or the journal's own words.
    public let message: String

    /// A failure of kind `code`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message followed by what happens next and what an operator can do.
    public var description: String {
        let advice = switch code {
        case .unavailable: "polling is retried with backoff; check that the register is up and that register.baseURL is right"
        case .unauthorized: "fix register.auth (the token file or credential) and reload with `systemctl reload interlinkd`; polling is paused until then"
        case .refused: "check register.baseURL and the register's API version; polling is retried with backoff"
        case .malformed: "the register's answer breaks its contract; it is retried, and the register's operators should be told"
        case .tooLarge: "raise register.maxResponseBytes to read on"
        case .journal: "see the journal error; the page is read again"
        }
        return "\(message); \(advice)"
    }
}
