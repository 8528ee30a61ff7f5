/// What the register withdrawing a dossier does to each of its transfers. The planner
/// applies it when the withdrawn version arrives; the reconciler applies it again to any
/// answer that lands afterwards (a push in flight that comes back accepted, say).
enum Withdrawal {
    /// The update and event that withdraw `transfer`, or `nil` when there is nothing to do:
    /// it is final, already being cancelled, its agency decided before it could withdraw, or
    /// its push is in flight (its answer decides, then this rule applies again). A receipt the
    /// agency issued becomes a cancellation to send (`cancelling`, due now), even while a
    /// follow-up of it is on the wire: that follow-up's answer is then stale, and the
    /// cancellation learns the decision instead. Anything not yet sent is simply `cancelled`.
    static func withdraw(_ transfer: TransferRecord, now: Timestamp) -> (TransferUpdate, NewEvent)? {
        // The agency decided before it could withdraw: that decision is followed, not cancelled again.
        if tooLate(transfer) { return nil }
        var update = TransferUpdate(id: transfer.id, state: .cancelled, expectedState: transfer.state)
        update.nextAttemptAt = .some(nil)
        let message: String
        switch transfer.state {
        case .accepted:
            update.state = .cancelling
            update.nextAttemptAt = .some(now)
            update.attempts = 0
            update.firstAttemptAt = .some(nil)
            update.lastError = .some(nil)
            message = "accepted → cancelling: the dossier was withdrawn; asking the agency to withdraw receipt \(transfer.receipt ?? "?")"
        case .waiting, .ready, .retrying:
            message = "\(transfer.state.rawValue) → cancelled: the dossier was withdrawn"
        case .sending, .cancelling, .completed, .rejected, .dead, .cancelled:
            return nil
        }
        let event = NewEvent(level: .notice, kind: .transferState, dossierCode: transfer.dossierCode, dossierVersion: transfer.dossierVersion,
                             step: transfer.step, agency: transfer.agency, transferID: transfer.id, message: message)
        return (update, event)
    }

    /// Withdraws every transfer of `effective` that needs it, into `batch`.
    static func withdrawAll(_ effective: [String: TransferRecord], now: Timestamp, into batch: inout JournalBatch) {
        for transfer in effective.values.sorted(by: { $0.id < $1.id }) {
            guard let (update, event) = withdraw(transfer, now: now) else { continue }
            batch.transferUpdates.append(update)
            batch.events.append(event)
        }
    }

    /// The reason code recorded on a transfer whose cancellation came after the agency decided.
    static let tooLateCode = "withdrawal-too-late"

    /// The reason that records a cancellation refused because the agency had already decided.
    static func tooLateReason(receipt: String?) -> JSONValue {
        ["code": .string(tooLateCode), "message": .string("the dossier was withdrawn after the agency decided on receipt \(receipt ?? "?"); its decision stands")]
    }

    /// Whether the agency refused to withdraw `transfer` because it had already decided.
    static func tooLate(_ transfer: TransferRecord) -> Bool {
        transfer.reasons?.arrayValue?.contains { $0["code"]?.stringValue == tooLateCode } ?? false
    }
}
