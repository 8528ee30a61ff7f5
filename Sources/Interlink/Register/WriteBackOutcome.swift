/// What the register's answer does to one write-back, by the one rule for answers. Pure:
/// the answer table's tests drive it without a register.
struct WriteBackOutcome: Sendable {
    /// The write-back's new state, attempts and schedule.
    var update: WriteBackUpdate
    /// The event that records it; nil for a technical failure retried later, which the
    /// register's breaker reports once for the whole outage instead.
    var event: NewEvent?
    /// The answer said nothing about the write-back and much about the register: no answer,
    /// a timeout, a 5xx. It counts toward the register's breaker.
    var technical = false
    /// The register holds a newer version of the dossier: the poller re-reads it.
    var reread = false

    /// The outcome of `answer` for `record`; `nil` when the write-back stays pending as it is,
    /// to be sent again under the same key: our own shutdown cancelled the request, or the
    /// register refused our credentials (the sender pauses until a reload).
    /// `verified` tells whether a 200 is the target's acknowledgement of this record.
    static func after(_ answer: PeerAnswer, to record: WriteBackRecord, retry: RetryPolicyConfig, now: Timestamp,
                      verified: (HTTPResponse, WriteBackRecord) -> Bool = verified) -> WriteBackOutcome? {
        let first = record.firstAttemptAt ?? now
        var update = WriteBackUpdate(dossierCode: record.dossierCode, sequence: record.sequence, state: .pending, attempts: record.attempts + 1,
                                     nextAttemptAt: nil, firstAttemptAt: first, lastError: nil)
        update.target = record.target
        var event = NewEvent(kind: .writeBack, dossierCode: record.dossierCode, dossierVersion: record.dossierVersion, message: "")
        func retrying(_ reason: String, retryAfterMs: Int64? = nil) {
            update.lastError = reason
            switch RetrySchedule(policy: retry).next(attempts: update.attempts, firstAttemptAt: first, now: now, retryAfterMs: retryAfterMs) {
            case .retry(let at):
                update.nextAttemptAt = at
            case .dead(let why):
                update.state = .dead
                update.lastError = "\(reason); \(why)"
            }
            event.level = .warning
        }
        var reread = false
        switch answer {
        case .cancelled, .unauthorized:
            return nil
        case .success(let response) where response.status == 200 && verified(response, record):
            update.state = .sent
            event.message = record.target == .register ? "write-back \(record.outcome.rawValue) stored by the register and verified"
                : "\(record.target.title) \(record.outcome.rawValue) acknowledged by the portal"
        case .success(let response) where response.status == 200:
            retrying("write-back not verified")
            event.message = record.target == .register ? "the register's stored record does not match what was sent; sending again"
                : "the portal did not acknowledge the \(record.target.title); sending again"
        case .conflict(let code) where code == "version-conflict" && record.target == .register:
            update.state = .superseded
            event.level = .notice
            event.message = "the register holds a newer version of the dossier; reading it and reconciling"
            reread = true
        case .refused, .fatal:
            let reason = refusal(answer)
            update.state = .dead
            update.lastError = reason
            event.level = .error
            event.message = "\(record.target.title) refused by the \(record.target == .register ? "register" : "portal"): \(reason)"
        case .success(let response):
            retrying("HTTP \(response.status)")
            event.message = "\(record.target.title) failed with HTTP \(response.status); \(update.state == .dead ? "gave up" : "retrying")"
        case .conflict(let code):
            retrying("HTTP 409 (\(code ?? "conflict"))")
            event.message = "\(record.target.title) failed with HTTP 409; \(update.state == .dead ? "gave up" : "retrying")"
        case .technical(let reason, let retryAfterMs):
            retrying(reason, retryAfterMs: retryAfterMs)
            event.message = "\(record.target.title) failed (\(reason)); \(update.state == .dead ? "gave up" : "retrying")"
            return WriteBackOutcome(update: update, event: update.state == .dead ? event : nil, technical: true)
        }
        return WriteBackOutcome(update: update, event: event, reread: reread)
    }

    /// Why the register refused a write-back for good.
    private static func refusal(_ answer: PeerAnswer) -> String {
        switch answer {
        case .refused(let reasons): "HTTP 422: " + AgencyText.summary(reasons)
        case .fatal(_, let reason): reason
        default: "refused"
        }
    }

    /// The register answers with the record it stored; it must be ours.
    static func verified(_ response: HTTPResponse, _ record: WriteBackRecord) -> Bool {
        guard let stored = try? response.json() else { return false }
        return stored["dossierVersion"]?.intValue == record.dossierVersion && stored["outcome"]?.stringValue == record.outcome.registerOutcome
    }
}
