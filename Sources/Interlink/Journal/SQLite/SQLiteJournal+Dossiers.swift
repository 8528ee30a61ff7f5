extension SQLiteJournal {
    /// Where the register was read up to: see ``Journal/cursor()``.
    public func cursor() async throws(JournalError) -> RegisterCursor? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT updated_since, after_code FROM register_cursor WHERE id = 1").rows { row in
                RegisterCursor(updatedSince: row.string(0), afterCode: row.string(1))
            }.first
        }
    }

    /// A metadata value: see ``Journal/metadata(_:)``.
    public func metadata(_ key: String) async throws(JournalError) -> String? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT value FROM metadata WHERE key = ?").rows([.text(key)]) { $0.string(0) }.first
        }
    }

    /// One dossier version: see ``Journal/dossier(code:version:)``.
    public func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(SQLiteRows.dossierColumns) FROM dossiers WHERE code = ? AND version = ?")
                .rows([.text(code), .integer(Int64(version))], SQLiteRows.dossier).first
        }
    }

    /// The newest journaled version of a dossier: see ``Journal/latestDossier(code:)``.
    public func latestDossier(code: String) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(SQLiteRows.dossierColumns) FROM dossiers WHERE code = ? ORDER BY version DESC LIMIT 1")
                .rows([.text(code)], SQLiteRows.dossier).first
        }
    }

    /// Dossier versions a crash may have left unfinished: see ``Journal/dossiersNeedingAttention(after:limit:)``.
    public func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        let start = after ?? DossierKey(code: "", version: 0)
        return try await read { session throws(SQLiteError) in
            try session.statement("""
                SELECT \(SQLiteRows.dossierColumns) FROM dossiers INDEXED BY dossiers_needing_attention
                WHERE (planned = 0 OR pending_changes > 0) AND (code, version) > (?, ?) ORDER BY code, version LIMIT \(max(1, limit))
                """).rows([.text(start.code), .integer(Int64(start.version))], SQLiteRows.dossier)
        }
    }

    /// The newest version of dossiers, filtered: see ``Journal/dossiers(outcome:procedure:since:limit:)``.
    public func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        var filter = SQLFilter()
        filter.require("version = (SELECT MAX(version) FROM dossiers WHERE code = d.code)")
        filter.require("outcome", equals: outcome?.rawValue)
        filter.require("procedure_code", equals: procedure)
        if let since { filter.require("seen_at >= ?", .integer(since.millisecondsSinceEpoch)) }
        let sql = "SELECT \(SQLiteRows.dossierColumns) FROM dossiers d \(filter.whereClause) ORDER BY seen_at DESC, code LIMIT \(max(1, limit))"
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, SQLiteRows.dossier)
        }
    }

    /// A dossier version and all its transfers in one read: see ``Journal/dossierWithTransfers(code:version:payload:)``.
    public func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord]) {
        let decode: @Sendable (SQLiteStatement) -> DossierRecord = { SQLiteRows.dossier($0, payload: payload) }
        return try await read { session throws(SQLiteError) in
            let dossier: DossierRecord?
            if let version {
                dossier = try session.statement("SELECT \(SQLiteRows.dossierColumns) FROM dossiers WHERE code = ? AND version = ?")
                    .rows([.text(code), .integer(Int64(version))], decode).first
            } else {
                dossier = try session.statement("SELECT \(SQLiteRows.dossierColumns) FROM dossiers WHERE code = ? ORDER BY version DESC LIMIT 1")
                    .rows([.text(code)], decode).first
            }
            let transfers = try session.statement("SELECT \(SQLiteRows.transferColumns) FROM transfers WHERE dossier_code = ? ORDER BY id")
                .rows([.text(code)], SQLiteRows.transfer)
            return (dossier, transfers)
        }
    }

    /// Dossiers by their newest version's outcome: see ``Journal/dossierCounts()``.
    public func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int] {
        try await read { session throws(SQLiteError) in
            // The outcome of each dossier's newest version.
            // SQLite takes a bare column from the row holding MAX(): one ordered scan of the primary key.
            let rows = try session.statement("""
                SELECT outcome, COUNT(*) FROM (SELECT outcome, MAX(version) FROM dossiers GROUP BY code) GROUP BY outcome
                """).rows { ($0.string(0), Int($0.int64(1))) }
            var counts: [DossierOutcome: Int] = [:]
            for (outcome, count) in rows { if let outcome = DossierOutcome(rawValue: outcome) { counts[outcome] = count } }
            return counts
        }
    }

    /// Finished dossier versions due for purging: see ``Journal/purgeCandidates(before:limit:)``.
    public func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey] {
        try await read { session throws(SQLiteError) in
            try session.statement("""
                SELECT code, version FROM dossiers
                WHERE purged_at IS NULL AND outcome IN ('completed', 'cancelled', 'not-routed') AND outcome_at < ?
                ORDER BY outcome_at LIMIT \(max(1, limit))
                """).rows([.integer(before.millisecondsSinceEpoch)]) { DossierKey(code: $0.string(0), version: Int($0.int64(1))) }
        }
    }
}
