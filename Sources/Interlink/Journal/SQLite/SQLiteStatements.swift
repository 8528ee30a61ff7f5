/// ``JournalStatements`` in SQLite's SQL, on the writer's session inside its transaction.
struct SQLiteStatements: JournalStatements {
    let session: SQLiteSession

    func insertDossier(_ dossier: DossierSnapshot, seenAt: Int64) throws(JournalError) -> Bool {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                INSERT INTO dossiers (code, version, procedure_code, updated_at, payload, seen_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """).run([.text(dossier.code), .integer(Int64(dossier.version)), .text(dossier.procedureCode), .text(dossier.updatedAt),
                          .text(JSONWriter.string(dossier.payload)), .integer(seenAt)])
            return session.connection.changes > 0
        }
    }

    func setCursor(_ cursor: RegisterCursor, at: Int64) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                INSERT INTO register_cursor (id, updated_since, after_code, advanced_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since,
                    after_code = excluded.after_code, advanced_at = excluded.advanced_at
                """).run([.text(cursor.updatedSince), .text(cursor.afterCode), .integer(at)])
        }
    }

    func updateTransfer(_ update: TransferUpdate, at: Int64) throws(JournalError) -> Bool {
        let (sql, values) = TransferUpdateSQL.statement(update, at: at)
        return try journaled { () throws(SQLiteError) in
            try session.statement(sql).run(values)
            return session.connection.changes > 0
        }
    }

    func insertTransfer(_ transfer: NewTransfer, at: Int64) throws(JournalError) -> Int64? {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                INSERT INTO transfers (dossier_code, dossier_version, step, agency, operation, state, idempotency_key, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).run([.text(transfer.dossierCode), .integer(Int64(transfer.dossierVersion)), .text(transfer.step),
                          .text(transfer.agency), .text(transfer.operation), .text(transfer.state.rawValue),
                          .text(transfer.idempotencyKey), .integer(at), .integer(at)])
            return session.connection.changes > 0 ? session.connection.lastInsertRowID : nil
        }
    }

    func setOutcome(_ change: OutcomeChange, at: Int64) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("UPDATE dossiers SET outcome = ?, reasons = ?, outcome_at = ? WHERE code = ? AND version = ?")
                .run([.text(change.outcome.rawValue), SQLValue(change.reasons.map(JSONWriter.string)), .integer(at),
                      .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
        }
    }

    func setFlags(_ change: FlagsChange) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("UPDATE dossiers SET flags = ? WHERE code = ? AND version = ?")
                .run([.text(JSONWriter.string(change.flags.json)), .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
        }
    }

    func markPlanned(_ key: DossierKey) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("UPDATE dossiers SET planned = 1 WHERE code = ? AND version = ?").run([.text(key.code), .integer(Int64(key.version))])
        }
    }

    func touchDossier(_ code: String) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                UPDATE dossiers SET pending_changes = pending_changes + 1
                WHERE code = ?1 AND version = (SELECT MAX(version) FROM dossiers WHERE code = ?1)
                """).run([.text(code)])
        }
    }

    func settleChanges(_ mark: ReconciledMark) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                UPDATE dossiers SET pending_changes = CASE WHEN version < ?3 THEN 0 ELSE MAX(0, pending_changes - ?1) END
                WHERE code = ?2 AND version <= ?3
                """).run([.integer(Int64(mark.changesSeen)), .text(mark.key.code), .integer(Int64(mark.key.version))])
        }
    }

    func currentWriteBack(dossierCode: String) throws(JournalError) -> StoredWriteBack? {
        try journaled { () throws(SQLiteError) in
            try session.statement("SELECT sequence, dossier_version, body FROM writebacks WHERE dossier_code = ?").rows([.text(dossierCode)]) {
                StoredWriteBack(sequence: Int($0.int64(0)), dossierVersion: Int($0.int64(1)), body: $0.string(2))
            }.first
        }
    }

    func storeWriteBack(_ request: WriteBackRequest, sequence: Int, key: String, at: Int64) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                INSERT INTO writebacks (dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts,
                    next_attempt_at, first_attempt_at, last_error, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?)
                ON CONFLICT (dossier_code) DO UPDATE SET dossier_version = excluded.dossier_version, sequence = excluded.sequence,
                    outcome = excluded.outcome, body = excluded.body, idempotency_key = excluded.idempotency_key, state = 'pending',
                    attempts = 0, next_attempt_at = excluded.next_attempt_at, first_attempt_at = NULL, last_error = NULL,
                    updated_at = excluded.updated_at
                """).run([.text(request.dossierCode), .integer(Int64(request.dossierVersion)), .integer(Int64(sequence)),
                          .text(request.outcome.rawValue), .text(request.body), .text(key), .integer(at), .integer(at)])
        }
    }

    func updateWriteBack(_ update: WriteBackUpdate, at: Int64) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                UPDATE writebacks SET state = ?, attempts = ?, next_attempt_at = ?, first_attempt_at = ?, last_error = ?, updated_at = ?
                WHERE dossier_code = ? AND sequence = ?
                """).run([.text(update.state.rawValue), .integer(Int64(update.attempts)), SQLValue(update.nextAttemptAt?.millisecondsSinceEpoch),
                          SQLValue(update.firstAttemptAt?.millisecondsSinceEpoch), SQLValue(update.lastError), .integer(at),
                          .text(update.dossierCode), .integer(Int64(update.sequence))])
        }
    }

    func chainTip() throws(JournalError) -> AuditChain.Link {
        try journaled { () throws(SQLiteError) in
            try session.statement("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
                .rows { AuditChain.Link(sequence: $0.int64(0), hash: $0.blob(1) ?? SHA256.zero) }.first ?? .origin
        }
    }

    func appendEvent(_ event: NewEvent, sequence: Int64, hash: [UInt8]) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("""
                INSERT INTO events (seq, at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).run([.integer(sequence), .integer(event.at.millisecondsSinceEpoch), .text(event.level.rawValue), .text(event.kind.rawValue),
                          SQLValue(event.dossierCode), SQLValue(event.dossierVersion), SQLValue(event.step),
                          SQLValue(event.agency), SQLValue(event.transferID), .text(event.message),
                          SQLValue(event.detail.map(JSONWriter.string)), .blob(hash)])
        }
    }

    func setMetadata(_ key: String, _ value: String) throws(JournalError) {
        try journaled { () throws(SQLiteError) in
            try session.statement("INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .run([.text(key), .text(value)])
        }
    }

    func erasePersonalData(_ key: DossierKey, at: Int64) throws(JournalError) {
        let version: [SQLValue] = [.text(key.code), .integer(Int64(key.version))]
        try journaled { () throws(SQLiteError) in
            try session.statement("UPDATE dossiers SET payload = NULL, reasons = NULL, purged_at = ? WHERE code = ? AND version = ?")
                .run([.integer(at)] + version)
            try session.statement("UPDATE transfers SET result = NULL WHERE dossier_code = ? AND dossier_version = ?").run(version)
            try session.statement("UPDATE writebacks SET body = '{}' WHERE dossier_code = ? AND dossier_version = ?").run(version)
        }
    }
}
