/// The `UPDATE` a ``TransferUpdate`` becomes, in SQL every backend runs: only the members it
/// sets, and the expected state and fencing token as conditions, so a stale update changes no row.
enum TransferUpdateSQL {
    static func statement(_ update: TransferUpdate, at: Int64) -> (sql: String, values: [SQLValue]) {
        var assignments = ["state = ?", "updated_at = ?"]
        var values: [SQLValue] = [.text(update.state.rawValue), .integer(at)]
        func set(_ column: String, _ value: SQLValue) {
            assignments.append("\(column) = ?")
            values.append(value)
        }
        // The first time it becomes ready starts its wait; later returns to ready do not.
        if update.state == .ready {
            assignments.append("ready_at = COALESCE(ready_at, ?)")
            values.append(.integer(at))
        }
        if let attempts = update.attempts { set("attempts", .integer(Int64(attempts))) }
        if let next = update.nextAttemptAt { set("next_attempt_at", SQLValue(next?.millisecondsSinceEpoch)) }
        if let first = update.firstAttemptAt { set("first_attempt_at", SQLValue(first?.millisecondsSinceEpoch)) }
        if let receipt = update.receipt { set("receipt", .text(receipt)) }
        if let result = update.result { set("result", .text(JSONWriter.string(result))) }
        if let reasons = update.reasons { set("reasons", .text(JSONWriter.string(reasons))) }
        if let lastError = update.lastError { set("last_error", SQLValue(lastError)) }
        if let key = update.idempotencyKey { set("idempotency_key", .text(key)) }
        if let request = update.request { set("request", SQLValue(request)) }
        switch update.owner {
        case .claim(let owner)?:
            set("claimed_by", .text(owner))
            assignments.append("claim_token = claim_token + 1")
        case .release?:
            set("claimed_by", .null)
        case nil:
            break
        }
        var sql = "UPDATE transfers SET \(assignments.joined(separator: ", ")) WHERE id = ?"
        values.append(.integer(update.id))
        if let expected = update.expectedState {
            sql += " AND state = ?"
            values.append(.text(expected.rawValue))
        }
        if let fence = update.fence {
            sql += " AND claim_token = ?"
            values.append(.integer(fence))
        }
        return (sql, values)
    }
}
