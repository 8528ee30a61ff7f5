/// What an answer from the register or an agency means: one rule for every request
/// Interlink makes (agency operations, receipt polls and cancellations, register pages and
/// write-backs), so a status code means the same wherever it comes back.
///
/// Each caller then reads only what is its own: the body of a success, the code of a
/// conflict. The table is ``classify(_:now:)``; its tests are the answer classification suite.
public enum PeerAnswer: Sendable {
    /// 2xx: the caller reads the body for what it means.
    case success(HTTPResponse)
    /// 422 with an error body: a decision about the request's content, with its reasons
    /// (the error's `fields`, else its code and message). Never retried.
    case refused(reasons: [JSONValue])
    /// 409, other than an idempotency key still in flight: the peer's state conflicts
    /// (already decided, a newer version); `code` is the error body's code.
    case conflict(code: String?)
    /// Worth another attempt: transport failures, timeouts, 408/425/429/5xx, a key still in
    /// flight, a malformed answer. `retryAfterMs` is the earliest the peer allows, when it said.
    case technical(reason: String, retryAfterMs: Int64?)
    /// 401 or 403: the peer refused our credentials. An operator must fix the configuration;
    /// retrying as configured can never succeed, so it is never retried for ever.
    case unauthorized(reason: String)
    /// Can never succeed as sent: 400, 404 and other 4xx, a reused idempotency key, a URL
    /// libcurl cannot send. `status` is `nil` when no HTTP answer came.
    case fatal(status: Int?, reason: String)
    /// Our own shutdown cancelled the request; nothing is known about the peer.
    case cancelled

    /// Classifies a request's result.
    public static func classify(_ result: Result<HTTPResponse, HTTPClientError>, now: Timestamp = .now()) -> PeerAnswer {
        switch result {
        case .failure(let error):
            switch error.kind {
            case .cancelled: return .cancelled
            case .other: return .fatal(status: nil, reason: error.description)
            case .timeout, .connection, .tls, .responseTooLarge, .transient: return .technical(reason: error.description, retryAfterMs: nil)
            }
        case .success(let response):
            return classify(response, now: now)
        }
    }

    /// Classifies an HTTP answer by its status, and for 409 and 422 by its error code.
    public static func classify(_ response: HTTPResponse, now: Timestamp = .now()) -> PeerAnswer {
        // A success's body is read by its caller: parsing it here too would double the work
        // for every page, decision and stored record.
        guard !(200...299).contains(response.status) else { return .success(response) }
        let error = (try? response.json())?["error"]
        let code = error?["code"]?.stringValue
        let named = code.map { " (\($0))" } ?? ""
        switch response.status {
        case 422 where code == "idempotency-key-reused":
            return .fatal(status: 422, reason: "the peer holds a different request under this Idempotency-Key; "
                + "replay with --new-key once the peer confirms nothing was applied")
        case 422:
            guard let error else { return .technical(reason: "malformed answer: 422 without an error body", retryAfterMs: nil) }
            // Each field keeps the error's code (validation-failed, business-rule), which the
            // write-back carries to the register so a clerk knows what kind of refusal it is.
            var reasons = (error["fields"]?.arrayValue ?? []).map { field -> JSONValue in
                guard case .object(var members) = field, members["code"] == nil, let code = error["code"] else { return field }
                members["code"] = code
                return .object(members)
            }
            if reasons.isEmpty {
                reasons = [["code": error["code"] ?? "rejected", "message": error["message"] ?? "rejected"]]
            }
            return .refused(reasons: reasons)
        case 409 where code != "idempotency-key-in-flight":
            return .conflict(code: code)
        case 408, 409, 425, 429, 500...599:
            let retryAfter = response.headers["Retry-After"].flatMap { RetryAfter.milliseconds($0, now: now) }
            return .technical(reason: "HTTP \(response.status)\(named)", retryAfterMs: retryAfter)
        case 401, 403:
            return .unauthorized(reason: "HTTP \(response.status)\(named): the endpoint refused our credentials; "
                + "fix the token file or auth settings in the config, reload, then replay")
        default:
            return .fatal(status: response.status, reason: "HTTP \(response.status)\(named): the request does not fit the endpoint's contract; "
                + "check the configured paths and payload template, then replay")
        }
    }
}
