/// A change of a transfer's state with the event that records it. Pure: the whole table of
/// what each answer does to each action is tested without a network or a journal.
struct TransferTransition: Sendable, Hashable {
    var update: TransferUpdate
    var message: String
    var level: LogLevel
    var kind: EventKind
    /// A technical failure scheduled another attempt.
    var retried = false

    /// What `answer` does to `transfer`, claimed for `action`; `nil` when nothing changes
    /// (a receipt still pending, a follow-up that failed and is simply asked again later).
    static func after(_ answer: AgencyAnswer, to transfer: TransferRecord, action: TransferAction, agency: AgencyConfig,
                      now: Timestamp, jitter: Double = Double.random(in: 0..<1)) -> TransferTransition? {
        let from = transfer.state.rawValue
        var update = TransferUpdate(id: transfer.id, state: transfer.state, expectedState: transfer.state)
        update.nextAttemptAt = .some(nil)
        let kind: EventKind = action == .push ? .attempt : .decision
        switch (answer, action) {
        case (.completed(let receipt, let result), _):
            update.state = .completed
            update.result = result
            update.receipt = receipt
            update.lastError = .some(nil)
            return TransferTransition(update: update, message: "\(from) → completed", level: .info, kind: kind)
        case (.accepted(let receipt), .push):
            update.state = .accepted
            update.receipt = receipt
            update.nextAttemptAt = .some(now.adding(milliseconds: Int64(agency.receipts.intervalSeconds) * 1_000))
            update.lastError = .some(nil)
            return TransferTransition(update: update, message: "\(from) → accepted with receipt \(receipt); following the decision",
                                      level: .info, kind: kind)
        case (.accepted, .followReceipt):
            return nil
        case (.accepted, .cancelReceipt), (.alreadyDecided, _):
            update.state = .accepted
            update.nextAttemptAt = .some(now)
            update.reasons = [Withdrawal.tooLateReason(receipt: transfer.receipt)]
            return TransferTransition(update: update, message: "\(from) → accepted: the agency had already decided on receipt "
                                      + "\(transfer.receipt ?? "?"); its decision is followed", level: .notice, kind: .decision)
        case (.rejected(let reasons), _):
            update.state = .rejected
            update.reasons = .array(reasons)
            // The agency's own words may quote the citizen: the line keeps their codes and pointers only.
            let why = AgencyText.summary(reasons)
            return TransferTransition(update: update, message: "\(from) → rejected by the agency: \(why)", level: .notice, kind: kind)
        case (.cancelled, _):
            update.state = .cancelled
            let message = action == .cancelReceipt ? "\(from) → cancelled: the agency confirmed the withdrawal of receipt \(transfer.receipt ?? "?")"
                : "\(from) → cancelled at the agency"
            return TransferTransition(update: update, message: message, level: .notice, kind: .decision)
        case (.technical(let reason, let retryAfterMs?), .followReceipt)
            where now.adding(milliseconds: retryAfterMs) > (transfer.nextAttemptAt ?? now):
            // The agency asks for more time than the next look allows: never earlier than it says.
            let at = now.adding(milliseconds: retryAfterMs)
            update.nextAttemptAt = .some(at)
            update.lastError = .some(reason)
            return TransferTransition(update: update, message: "receipt follow-up refused (\(reason)); asking again at \(at)", level: .info,
                                      kind: .decision, retried: true)
        case (.technical, .followReceipt), (.handedBack, .followReceipt), (.handedBack, .cancelReceipt):
            // The next look was pushed out when claimed: it simply happens then.
            return nil
        case (.technical(let reason, let retryAfterMs), _):
            let schedule = RetrySchedule(policy: agency.retry).next(attempts: transfer.attempts, firstAttemptAt: transfer.firstAttemptAt ?? now,
                                                                  now: now, retryAfterMs: retryAfterMs, jitter: jitter)
            let doing = action == .cancelReceipt ? "cancellation" : "attempt"
            switch schedule {
            case .retry(let at):
                update.state = action == .cancelReceipt ? .cancelling : .retrying
                update.nextAttemptAt = .some(at)
                update.lastError = .some(reason)
                return TransferTransition(update: update, message: "\(doing) \(transfer.attempts) failed (\(reason)); retrying at \(at)",
                                          level: .info, kind: kind, retried: true)
            case .dead(let why):
                update.state = .dead
                update.lastError = .some("\(reason); \(why)")
                let what = action == .cancelReceipt ? "the agency never confirmed the withdrawal of receipt \(transfer.receipt ?? "?"): " : ""
                return TransferTransition(update: update, message: "\(from) → dead: \(what)\(reason); \(why)", level: .error, kind: kind)
            }
        case (.fatal(let reason), _):
            update.state = .dead
            update.lastError = .some(reason)
            return TransferTransition(update: update, message: "\(from) → dead: \(reason)", level: .error, kind: kind)
        case (.handedBack, .push):
            update.state = .ready
            return TransferTransition(update: update, message: "sending → ready: handed back at shutdown; it will be re-sent under the same key",
                                      level: .info, kind: kind)
        }
    }
}
