/// What an agency's (or the register's) answer means for a transfer: the core distinction
/// between a decision about the dossier and a technical failure.
public enum ResponseClassification: Sendable, Hashable {
    /// 200 with a decision: the step is done.
    case completed(receipt: String?, result: JSONValue)
    /// 202: a receipt to follow.
    case accepted(receipt: String)
    /// 422: the agency decided against the dossier. Never retried.
    case rejected(reasons: [JSONValue])
    /// Worth another attempt: timeouts, connection and TLS errors, 408/409/429/5xx, malformed answers.
    /// `retryAfterMs` is the earliest the server allows, when it said.
    case technical(reason: String, retryAfterMs: Int64?)
    /// Can never succeed as configured (400, 401, 403, 404, a reused key): dead at once.
    case fatal(reason: String)
    /// The request was cancelled by our own shutdown; hand it back untouched.
    case handedBack
}

/// Classifies agency answers. Pure, so the whole table is tested without a network.
public enum ResponseClassifier: Sendable {
    public static func classify(_ outcome: Result<HTTPResponse, HTTPClientError>, now: Timestamp = .now()) -> ResponseClassification {
        switch outcome {
        case .failure(let error):
            switch error.kind {
            case .cancelled: return .handedBack
            case .other: return .fatal(reason: error.description)
            case .timeout, .connection, .tls, .responseTooLarge, .transient: return .technical(reason: error.description, retryAfterMs: nil)
            }
        case .success(let response):
            return classify(response, now: now)
        }
    }

    public static func classify(_ response: HTTPResponse, now: Timestamp = .now()) -> ResponseClassification {
        let retryAfter = response.headers["Retry-After"].flatMap { RetryAfter.milliseconds($0, now: now) }
        switch response.status {
        case 200, 201:
            return decision(response)
        case 202:
            guard let receipt = (try? response.json())?["receipt"]?.stringValue, !receipt.isEmpty else {
                return .technical(reason: "malformed answer: 202 without a receipt", retryAfterMs: nil)
            }
            return .accepted(receipt: receipt)
        case 422:
            guard let body = try? response.json(), let error = body["error"] else {
                return .technical(reason: "malformed answer: 422 without an error body", retryAfterMs: nil)
            }
            if error["code"] == "idempotency-key-reused" {
                return .fatal(reason: "the agency holds a different request under this Idempotency-Key; "
                    + "replay with --new-key once the agency confirms nothing was registered")
            }
            var reasons = error["fields"]?.arrayValue ?? []
            if reasons.isEmpty {
                reasons = [["code": error["code"] ?? "rejected", "message": error["message"] ?? "rejected by the agency"]]
            }
            return .rejected(reasons: reasons)
        case 408, 409, 425, 429, 500...599:
            return .technical(reason: "HTTP \(response.status)\(errorCode(response))", retryAfterMs: retryAfter)
        case 401, 403:
            return .fatal(reason: "HTTP \(response.status)\(errorCode(response)): the endpoint refused our credentials; "
                + "check the token file and auth settings, then replay")
        default:
            return .fatal(reason: "HTTP \(response.status)\(errorCode(response)): the request does not fit the agency's contract; "
                + "check the route's operation path and payload template, then replay")
        }
    }

    /// A 200 answer: `{"receipt":…, "status":"completed", "result":{…}}`, or an accepted status.
    private static func decision(_ response: HTTPResponse) -> ResponseClassification {
        let body: JSONValue
        do {
            body = try response.json()
        } catch {
            return .technical(reason: "malformed answer: \(error)", retryAfterMs: nil)
        }
        let receipt = body["receipt"]?.stringValue
        switch body["status"]?.stringValue {
        case "completed":
            guard let result = body["result"], case .object = result else {
                return .technical(reason: "malformed answer: completed without a result object", retryAfterMs: nil)
            }
            return .completed(receipt: receipt, result: result)
        case "accepted", "processing":
            guard let receipt, !receipt.isEmpty else { return .technical(reason: "malformed answer: accepted without a receipt", retryAfterMs: nil) }
            return .accepted(receipt: receipt)
        case "rejected":
            return .rejected(reasons: body["reasons"]?.arrayValue ?? [])
        default:
            return .technical(reason: "malformed answer: unknown status \(body["status"].map(JSONWriter.string) ?? "missing")", retryAfterMs: nil)
        }
    }

    private static func errorCode(_ response: HTTPResponse) -> String {
        guard let code = (try? response.json())?["error"]?["code"]?.stringValue else { return "" }
        return " (\(code))"
    }
}

/// Reads `Retry-After` in both of its forms.
public enum RetryAfter: Sendable {
    /// Milliseconds from `now`, from delta-seconds (`"120"`) or an HTTP-date; `nil` when unreadable.
    public static func milliseconds(_ value: String, now: Timestamp) -> Int64? {
        let text = value.trimmedWhitespace
        if let seconds = Int64(text), seconds >= 0 { return seconds * 1_000 }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
    }
}
