/// ``JournalStatements`` in SQL both backends run. A backend supplies how to run a statement
/// and a query on its writer's connection, and the few statements its dialect writes its
/// own way (a new transfer's id, the chain's tip, notifications).
protocol SQLStatements: JournalStatements {
    associatedtype Row: SQLRow
    /// Which SQL the shared statements use where dialects differ.
    var dialect: SQLDialect { get }
    /// Runs a statement with `?` placeholders; returns how many rows it changed.
    func change(_ sql: String, _ values: [SQLValue]) throws(JournalError) -> Int
    /// Runs a query with `?` placeholders and decodes each row.
    func select<T>(_ sql: String, _ values: [SQLValue], _ decode: (Row) -> T) throws(JournalError) -> [T]
    /// Runs a statement whose row count nobody needs. A backend may send it without waiting
    /// for its answer; its failure then fails the transaction by the next answer awaited.
    func perform(_ sql: String, _ values: [SQLValue]) throws(JournalError)
}

extension SQLStatements {
    func insertDossier(_ dossier: DossierSnapshot, seenAt: Int64) throws(JournalError) -> Bool {
        let key: [SQLValue] = [.text(dossier.code), .integer(Int64(dossier.version))]
        let inserted = try change("""
            INSERT INTO dossiers (code, version, procedure_code, updated_at, seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, key + [.text(dossier.procedureCode), .text(dossier.updatedAt), .integer(seenAt)]) > 0
        if inserted {
            try perform("INSERT INTO dossier_payloads (code, version, payload) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        key + [.text(JSONWriter.string(dossier.payload))])
        }
        return inserted
    }

    func setCursor(_ cursor: RegisterCursor, at: Int64) throws(JournalError) {
        try perform("""
            INSERT INTO register_cursor (id, updated_since, after_code, advanced_at) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since, after_code = excluded.after_code, advanced_at = excluded.advanced_at
            """, [.text(cursor.updatedSince), .text(cursor.afterCode), .integer(at)])
    }

    func updateTransfer(_ update: TransferUpdate, at: Int64) throws(JournalError) -> Bool {
        let (sql, values) = TransferUpdateSQL.statement(update, at: at)
        return try change(sql, values) > 0
    }

    func setOutcome(_ change: OutcomeChange, at: Int64) throws(JournalError) {
        try perform("UPDATE dossiers SET outcome = ?, reasons = ?, outcome_at = ? WHERE code = ? AND version = ?",
                    [.text(change.outcome.rawValue), SQLValue(change.reasons.map(JSONWriter.string)), .integer(at),
                     .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
    }

    func setFlags(_ change: FlagsChange) throws(JournalError) {
        try perform("UPDATE dossiers SET flags = ? WHERE code = ? AND version = ?",
                    [.text(JSONWriter.string(change.flags.json)), .text(change.dossierCode), .integer(Int64(change.dossierVersion))])
    }

    func markPlanned(_ key: DossierKey) throws(JournalError) {
        try perform("UPDATE dossiers SET planned = 1 WHERE code = ? AND version = ?", [.text(key.code), .integer(Int64(key.version))])
    }

    func touchDossier(_ code: String) throws(JournalError) {
        try perform("""
            UPDATE dossiers SET pending_changes = pending_changes + 1
            WHERE code = ? AND version = (SELECT MAX(version) FROM dossiers WHERE code = ?)
            """, [.text(code), .text(code)])
    }

    func settleChanges(_ mark: ReconciledMark) throws(JournalError) {
        let version = Int64(mark.key.version), seen = Int64(mark.changesSeen)
        try perform("""
            UPDATE dossiers SET pending_changes = CASE WHEN version < ? OR pending_changes < ? THEN 0 ELSE pending_changes - ? END
            WHERE code = ? AND version <= ?
            """, [.integer(version), .integer(seen), .integer(seen), .text(mark.key.code), .integer(version)])
    }

    func currentWriteBack(dossierCode: String, target: WriteBackTarget) throws(JournalError) -> StoredWriteBack? {
        try select("SELECT sequence, dossier_version, body FROM writebacks WHERE dossier_code = ? AND target = ?\(dialect == .postgres ? " FOR UPDATE" : "")",
                   [.text(dossierCode), .text(target.rawValue)]) {
            StoredWriteBack(sequence: Int($0.int64(0)), dossierVersion: Int($0.int64(1)), body: $0.string(2))
        }.first
    }

    func storeWriteBack(_ request: WriteBackRequest, sequence: Int, key: String, at: Int64) throws(JournalError) {
        try perform("""
            INSERT INTO writebacks (dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts,
                next_attempt_at, first_attempt_at, last_error, updated_at, claimed_by, target)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, NULL, ?)
            ON CONFLICT (dossier_code, target) DO UPDATE SET dossier_version = excluded.dossier_version, sequence = excluded.sequence,
                outcome = excluded.outcome, body = excluded.body, idempotency_key = excluded.idempotency_key, state = 'pending',
                attempts = 0, next_attempt_at = excluded.next_attempt_at, first_attempt_at = NULL, last_error = NULL,
                updated_at = excluded.updated_at, claimed_by = NULL
            """, [.text(request.dossierCode), .integer(Int64(request.dossierVersion)), .integer(Int64(sequence)),
                  .text(request.outcome.rawValue), .text(request.body), .text(key), .integer(at), .integer(at), .text(request.target.rawValue)])
    }

    func updateWriteBack(_ update: WriteBackUpdate, at: Int64) throws(JournalError) -> Bool {
        let (sql, values) = ClaimSQL.updateWriteBack(update, at: at)
        return try change(sql, values) > 0
    }

    func setMetadata(_ key: String, _ value: String) throws(JournalError) {
        try perform("INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [.text(key), .text(value)])
    }

    func erasePersonalData(_ key: DossierKey, at: Int64) throws(JournalError) {
        let version: [SQLValue] = [.text(key.code), .integer(Int64(key.version))]
        try perform("UPDATE dossiers SET reasons = NULL, purged_at = ? WHERE code = ? AND version = ?", [.integer(at)] + version)
        try perform("UPDATE dossier_payloads SET payload = NULL WHERE code = ? AND version = ?", version)
        try perform("UPDATE transfers SET result = NULL, request = NULL WHERE dossier_code = ? AND dossier_version = ?", version)
        try perform("UPDATE writebacks SET body = '{}' WHERE dossier_code = ? AND dossier_version = ?", version)
    }

    func upsertInstance(_ beat: InstanceBeat) throws(JournalError) {
        try perform(ClaimSQL.upsertInstance, ClaimSQL.instanceValues(beat))
    }

    func dossierState(_ key: DossierKey) throws(JournalError) -> (pendingChanges: Int, outcome: String)? {
        try select(ClaimSQL.dossierState + (dialect == .postgres ? " FOR UPDATE" : ""), [.text(key.code), .integer(Int64(key.version))]) {
            (Int($0.int64(0)), $0.string(1))
        }.first
    }

    func lease(_ name: String) throws(JournalError) -> LeaseRecord? {
        try select(ClaimSQL.lease + (dialect == .postgres ? " FOR UPDATE" : ""), [.text(name)]) { JournalRows.lease($0) }.first
    }

    func takeLease(_ name: String, holder: String, liveSince: Int64, at: Int64) throws(JournalError) -> Int64? {
        try perform(ClaimSQL.takeLease, [.text(name), .text(holder), .integer(at), .integer(liveSince)])
        return try lease(name).flatMap { $0.holder == holder ? $0.token : nil }
    }

    func releaseLease(_ name: String, holder: String) throws(JournalError) {
        try perform(ClaimSQL.releaseLease, [.text(name), .text(holder)])
    }

    func dueTransfers(_ request: TransferClaimRequest) throws(JournalError) -> [TransferRecord] {
        var rows: [TransferRecord] = []
        for agency in ClaimSQL.dueTransfers(request, dialect: dialect) {
            var remaining = agency.limit
            for (sql, values) in agency.parts where remaining > 0 {
                let found = try select(sql, values + [.integer(Int64(remaining))]) { JournalRows.transfer($0) }
                rows += found
                remaining -= found.count
            }
        }
        return rows
    }

    func dueWriteBacks(_ request: WriteBackClaimRequest) throws(JournalError) -> [WriteBackRecord] {
        let (sql, values) = ClaimSQL.dueWriteBacks(request, dialect: dialect)
        return try select(sql, values) { JournalRows.writeBack($0) }
    }

    func claimWriteBack(_ record: WriteBackRecord, owner: String, at: Int64) throws(JournalError) {
        try perform(ClaimSQL.claimWriteBack, [.text(owner), .integer(at), .text(record.dossierCode), .text(record.target.rawValue), .integer(Int64(record.sequence)),
                                              .integer(record.claimToken)])
    }

    func claimTransfer(_ update: TransferUpdate, at: Int64) throws(JournalError) {
        let (sql, values) = TransferUpdateSQL.statement(update, at: at)
        try perform(sql, values)
    }

    /// Appends `events` (already masked) after `tip`, chained in order, a few rows per
    /// statement; returns the new tip. Both backends chain through here.
    func writeChained(_ events: [NewEvent], after tip: AuditChain.Link) throws(JournalError) -> AuditChain.Link {
        var tip = tip
        var start = events.startIndex
        while start < events.endIndex {
            let chunk = events[start..<min(start + Self.eventsPerStatement, events.endIndex)]
            var values: [SQLValue] = []
            for event in chunk {
                tip = AuditChain.next(after: tip, event: event)
                values += [.integer(tip.sequence), .integer(event.at.millisecondsSinceEpoch), .text(event.level.rawValue), .text(event.kind.rawValue),
                           SQLValue(event.dossierCode), SQLValue(event.dossierVersion), SQLValue(event.step), SQLValue(event.agency),
                           SQLValue(event.transferID), .text(event.message), SQLValue(event.detail.map(JSONWriter.string)), .blob(tip.hash)]
            }
            try perform("INSERT INTO events (seq, at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail, hash) VALUES "
                        + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", "), values)
            start = chunk.endIndex
        }
        return tip
    }

    /// At most this many event rows per INSERT, so a prepared statement exists per chunk size
    /// up to it and no more.
    private static var eventsPerStatement: Int { 16 }
}
