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
        // Updates first: a replacement transfer is only created if the one it replaces was cancelled.
        for update in batch.transferUpdates where try !apply(update, at: now, in: session) {
            result.staleUpdates.append(update.id)
        }
        let stale = Set(result.staleUpdates)
        let insertTransfer = try session.statement("""
            INSERT OR IGNORE INTO transfers (dossier_code, dossier_version, step, agency, operation, state,
                idempotency_key, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for transfer in batch.newTransfers {
            if let replaced = transfer.replaces, stale.contains(replaced) {
                result.transferIDs.append(nil)
                continue
            }
            try insertTransfer.run([.text(transfer.dossierCode), .integer(Int64(transfer.dossierVersion)), .text(transfer.step),
                                    .text(transfer.agency), .text(transfer.operation), .text(transfer.state.rawValue),
                                    .text(transfer.idempotencyKey), .integer(now), .integer(now)])
            result.transferIDs.append(session.connection.changes > 0 ? session.connection.lastInsertRowID : nil)
        }
        let setOutcome = try session.statement("""
            UPDATE dossiers SET outcome = ?, reasons = ?, outcome_at = ? WHERE code = ? AND version = ?
            """)
        for change in batch.outcomes {
            try setOutcome.run([.text(change.outcome.rawValue), SQLiteValue(change.reasons.map(JSONWriter.string)),
                                .integer(now), .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
        }
        let setFlags = try session.statement("UPDATE dossiers SET flags = ? WHERE code = ? AND version = ?")
        for change in batch.flags {
            try setFlags.run([.text(JSONWriter.string(change.flags.json)), .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
        }
        let markPlanned = try session.statement("UPDATE dossiers SET planned = 1 WHERE code = ? AND version = ?")
        for key in batch.plannedDossiers { try markPlanned.run([.text(key.code), .integer(Int64(key.version))]) }
        let touch = try session.statement("""
            UPDATE dossiers SET pending_changes = pending_changes + 1
            WHERE code = ?1 AND version = (SELECT MAX(version) FROM dossiers WHERE code = ?1)
            """)
        for code in batch.touchedDossiers { try touch.run([.text(code)]) }
        // Changes recorded on older versions (before a newer one arrived) are settled too.
        let settle = try session.statement("""
            UPDATE dossiers SET pending_changes = CASE WHEN version < ?3 THEN 0 ELSE MAX(0, pending_changes - ?1) END
            WHERE code = ?2 AND version <= ?3
            """)
        for mark in batch.reconciledDossiers {
            try settle.run([.integer(Int64(mark.changesSeen)), .text(mark.key.code), .integer(Int64(mark.key.version))])
        }
        for request in batch.writeBacks { try queueWriteBack(request, at: now, in: session) }
        for update in batch.writeBackUpdates { try applyWriteBack(update, at: now, in: session) }
        // An event about a transfer change that did not happen (stale) would be false; drop it.
        try appendEvents(batch.events.filter { $0.transferID.map { !stale.contains($0) } ?? true }, in: session)
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
        if let first = update.firstAttemptAt { set("first_attempt_at", SQLiteValue(first?.millisecondsSinceEpoch)) }
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

    /// Queues a new body unless the same one is already queued or sent; a new body gets the
    /// next sequence and so a new idempotency key.
    private func queueWriteBack(_ request: WriteBackRequest, at now: Int64, in session: SQLiteSession) throws(SQLiteError) {
        let current = try session.statement("SELECT sequence, body, dossier_version FROM writebacks WHERE dossier_code = ?")
            .rows([.text(request.dossierCode)]) { (Int($0.int64(0)), $0.string(1), Int($0.int64(2))) }.first
        if let current, current.1 == request.body, current.2 == request.dossierVersion { return }
        let sequence = (current?.0 ?? 0) + 1
        let key = IdempotencyKeys.writeBack(dossierCode: request.dossierCode, version: request.dossierVersion, sequence: sequence)
        try session.statement("""
            INSERT INTO writebacks (dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts,
                next_attempt_at, first_attempt_at, last_error, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?)
            ON CONFLICT (dossier_code) DO UPDATE SET dossier_version = excluded.dossier_version, sequence = excluded.sequence,
                outcome = excluded.outcome, body = excluded.body, idempotency_key = excluded.idempotency_key, state = 'pending',
                attempts = 0, next_attempt_at = excluded.next_attempt_at, first_attempt_at = NULL, last_error = NULL,
                updated_at = excluded.updated_at
            """).run([.text(request.dossierCode), .integer(Int64(request.dossierVersion)), .integer(Int64(sequence)),
                     .text(request.outcome.rawValue), .text(request.body), .text(key), .integer(now), .integer(now)])
    }

    private func applyWriteBack(_ update: WriteBackUpdate, at now: Int64, in session: SQLiteSession) throws(SQLiteError) {
        try session.statement("""
            UPDATE writebacks SET state = ?, attempts = ?, next_attempt_at = ?, first_attempt_at = ?, last_error = ?, updated_at = ?
            WHERE dossier_code = ? AND sequence = ?
            """).run([.text(update.state.rawValue), .integer(Int64(update.attempts)), SQLiteValue(update.nextAttemptAt?.millisecondsSinceEpoch),
                     SQLiteValue(update.firstAttemptAt?.millisecondsSinceEpoch), SQLiteValue(update.lastError), .integer(now),
                     .text(update.dossierCode), .integer(Int64(update.sequence))])
    }

    /// Appends events with explicit sequence numbers, each chained to the one before. The tip
    /// is read inside the write transaction, so another process appending (interlinkctl) stays
    /// in the same chain.
    private func appendEvents(_ events: [NewEvent], in session: SQLiteSession) throws(SQLiteError) {
        guard !events.isEmpty else { return }
        var (sequence, previous) = try session.statement("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
            .rows { ($0.int64(0), $0.blob(1) ?? SHA256.zero) }.first ?? (0, SHA256.zero)
        let insert = try session.statement("""
            INSERT INTO events (seq, at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for original in events {
            // Events are kept for good (the chain needs them), so they hold no personal data.
            var event = original
            event.message = PersonalDataMasker.mask(event.message)
            event.detail = event.detail.map(PersonalDataMasker.mask)
            sequence += 1
            previous = AuditChain.link(previous: previous, sequence: sequence, event: event)
            try insert.run([.integer(sequence), .integer(event.at.millisecondsSinceEpoch), .text(event.level.rawValue), .text(event.kind.rawValue),
                            SQLiteValue(event.dossierCode), SQLiteValue(event.dossierVersion), SQLiteValue(event.step),
                            SQLiteValue(event.agency), SQLiteValue(event.transferID), .text(event.message),
                            SQLiteValue(event.detail.map(JSONWriter.string)), .blob(previous)])
        }
    }
}
