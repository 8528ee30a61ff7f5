/// The `INSERT` of a ``NewTransfer``, which both backends run (each adds how it learns the new id).
enum TransferInsertSQL {
    /// The statement, without a conflict clause or RETURNING, and its values.
    static func statement(_ transfer: NewTransfer, at: Int64) -> (sql: String, values: [SQLValue]) {
        ("""
            INSERT INTO transfers (dossier_code, dossier_version, step, agency, operation, state, idempotency_key, created_at, updated_at,
                receipt, result, next_attempt_at, ready_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, [.text(transfer.dossierCode), .integer(Int64(transfer.dossierVersion)), .text(transfer.step), .text(transfer.agency),
                  .text(transfer.operation), .text(transfer.state.rawValue), .text(transfer.idempotencyKey), .integer(at), .integer(at),
                  SQLValue(transfer.receipt), SQLValue(transfer.result.map(JSONWriter.string)), SQLValue(transfer.nextAttemptAt?.millisecondsSinceEpoch),
                  transfer.state == .ready ? .integer(at) : .null])
    }
}
