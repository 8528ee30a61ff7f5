/// What an agency said about one transfer action, in the engine's terms, whatever dialect
/// the agency speaks.
public enum AgencyAnswer: Sendable, Hashable {
    /// Decided for the dossier, with its result.
    case completed(receipt: String?, result: JSONValue)
    /// Received; the decision comes later under `receipt`.
    case accepted(receipt: String)
    /// Decided against the dossier (a business rejection), with its reasons. Never retried.
    case rejected(reasons: [JSONValue])
    /// The receipt is withdrawn: the agency confirmed a cancellation.
    case cancelled
    /// A cancellation came too late: the agency had already decided, and that decision stands.
    case alreadyDecided
    /// Worth another attempt later.
    case technical(reason: String, retryAfterMs: Int64?)
    /// Can never succeed as configured (credentials, paths, a reused key): an operator must act.
    case fatal(reason: String)
    /// Our own shutdown cancelled the request; hand the transfer back untouched.
    case handedBack
}

/// One answer with what the engine books about it.
public struct AgencyReply: Sendable, Hashable {
    /// What the answer means.
    public var answer: AgencyAnswer
    /// The HTTP status, when an HTTP answer came.
    public var status: Int?
    /// How long the request took.
    public var durationMs: Int

    /// A reply of `answer`.
    public init(answer: AgencyAnswer, status: Int?, durationMs: Int) {
        self.answer = answer
        self.status = status
        self.durationMs = durationMs
    }

    /// How the agency behaved, for its circuit breaker: a technical failure counts against
    /// it; a cancelled request, or one that never left, says nothing about it.
    public var health: AgencyHealth {
        switch answer {
        case .technical: .failing
        case .handedBack: .neutral
        case .fatal where status == nil: .neutral
        default: .healthy
        }
    }

    /// `2xx`, `4xx`, `5xx`, or `error` when no HTTP answer came, for the metrics.
    public var responseClass: String { status.map { "\($0 / 100)xx" } ?? "error" }
}

/// How an agency behaved, for its circuit breaker.
public enum AgencyHealth: Sendable, Hashable {
    case healthy, failing, neutral
}
