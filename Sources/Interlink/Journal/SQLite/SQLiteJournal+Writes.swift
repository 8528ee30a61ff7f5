extension SQLiteJournal {
    /// Applies one batch inside the caller's transaction.
    func write(_ batch: JournalBatch, in session: SQLiteSession) throws(SQLiteError) -> JournalBatchResult {
        var result = JournalBatchResult()
        let now = Timestamp.now().millisecondsSinceEpoch
        let insertDossier = try session.statement("""
            INSERT OR IGNORE INTO dossiers (code, version, procedure_code, updated_at, payload, seen_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for dossier in batch.dossiers {
            try insertDossier.run([.text(dossier.code), .integer(Int64(dossier.version)), .text(dossier.procedureCode),
                                   .text(dossier.updatedAt), .text(JSONWriter.string(dossier.payload)), .integer(now)])
            result.dossierInserted.append(session.connection.changes > 0)
        }
        if let cursor = batch.cursor {
            try session.statement("""
                INSERT INTO register_cursor (id, updated_since, after_code, advanced_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since,
                    after_code = excluded.after_code, advanced_at = excluded.advanced_at
                """).run([.text(cursor.updatedSince), .text(cursor.afterCode), .integer(now)])
        }
        let insertTransfer = try session.statement("""
            INSERT OR IGNORE INTO transfers (dossier_code, dossier_version, step, agency, operation, state,
                idempotency_key, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for transfer in batch.newTransfers {
            try insertTransfer.run([.text(transfer.dossierCode), .integer(Int64(transfer.dossierVersion)), .text(transfer.step),
                                    .text(transfer.agency), .text(transfer.operation), .text(transfer.state.rawValue),
                                    .text(transfer.idempotencyKey), .integer(now), .integer(now)])
            result.transferIDs.append(session.connection.changes > 0 ? session.connection.lastInsertRowID : nil)
        }
        for update in batch.transferUpdates where try !apply(update, at: now, in: session) {
            result.staleUpdates.append(update.id)
        }
        let setOutcome = try session.statement("""
            UPDATE dossiers SET outcome = ?, reasons = ?, outcome_at = ? WHERE code = ? AND version = ?
            """)
        for change in batch.outcomes {
            try setOutcome.run([.text(change.outcome.rawValue), SQLiteValue(change.reasons.map(JSONWriter.string)),
                                .integer(now), .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
        }
        try appendEvents(batch.events, in: session)
        let setMetadata = try session.statement("""
            INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """)
        for (key, value) in batch.metadata.sorted(by: { $0.key < $1.key }) {
            try setMetadata.run([.text(key), .text(value)])
        }
        return result
    }

    /// `false` when the transfer was not in its expected state and was left alone.
    private func apply(_ update: TransferUpdate, at now: Int64, in session: SQLiteSession) throws(SQLiteError) -> Bool {
        var assignments = ["state = ?", "updated_at = ?"]
        var values: [SQLiteValue] = [.text(update.state.rawValue), .integer(now)]
        func set(_ column: String, _ value: SQLiteValue) {
            assignments.append("\(column) = ?")
            values.append(value)
        }
        if let attempts = update.attempts { set("attempts", .integer(Int64(attempts))) }
        if let next = update.nextAttemptAt { set("next_attempt_at", SQLiteValue(next?.millisecondsSinceEpoch)) }
        if let first = update.firstAttemptAt { set("first_attempt_at", .integer(first.millisecondsSinceEpoch)) }
        if let receipt = update.receipt { set("receipt", .text(receipt)) }
        if let result = update.result { set("result", .text(JSONWriter.string(result))) }
        if let reasons = update.reasons { set("reasons", .text(JSONWriter.string(reasons))) }
        if let lastError = update.lastError { set("last_error", SQLiteValue(lastError)) }
        if let key = update.idempotencyKey { set("idempotency_key", .text(key)) }
        var sql = "UPDATE transfers SET \(assignments.joined(separator: ", ")) WHERE id = ?"
        values.append(.integer(update.id))
        if let expected = update.expectedState {
            sql += " AND state = ?"
            values.append(.text(expected.rawValue))
        }
        try session.statement(sql).run(values)
        return session.connection.changes > 0
    }

    private func appendEvents(_ events: [NewEvent], in session: SQLiteSession) throws(SQLiteError) {
        guard !events.isEmpty else { return }
        let insert = try session.statement("""
            INSERT INTO events (at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for event in events {
            try insert.run([.integer(event.at.millisecondsSinceEpoch), .text(event.level.rawValue), .text(event.kind.rawValue),
                            SQLiteValue(event.dossierCode), SQLiteValue(event.dossierVersion), SQLiteValue(event.step),
                            SQLiteValue(event.agency), SQLiteValue(event.transferID), .text(event.message),
                            SQLiteValue(event.detail.map(JSONWriter.string))])
        }
    }
}
