/// The journal's dossier reads, in SQL both backends run.
extension SQLReader {
    // These are the journal's reads for both backends: as the backends are internal types,
    // these methods are their `Journal` witnesses.
    func cursor() async throws(JournalError) -> RegisterCursor? {
        try await read { session throws(JournalError) in
            try session.first("SELECT updated_since, after_code FROM register_cursor WHERE id = 1") {
                RegisterCursor(updatedSince: $0.string(0), afterCode: $0.string(1))
            }
        }
    }

    func metadata(_ key: String) async throws(JournalError) -> String? {
        try await read { session throws(JournalError) in
            try session.first("SELECT value FROM metadata WHERE key = ?", [.text(key)]) { $0.string(0) }
        }
    }

    func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(JournalError) in
            try session.first(JournalRows.dossierSelect(payload: true) + " WHERE d.code = ? AND d.version = ?",
                              [.text(code), .integer(Int64(version))]) { JournalRows.dossier($0) }
        }
    }

    func latestDossier(code: String) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(JournalError) in
            try session.first(JournalRows.dossierSelect(payload: true) + " WHERE d.code = ? ORDER BY d.version DESC LIMIT 1",
                              [.text(code)]) { JournalRows.dossier($0) }
        }
    }

    func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        let start = after ?? DossierKey(code: "", version: 0)
        // SQLite must be told to use the partial index, or it scans the primary key.
        let hint = dialect == .sqlite ? "INDEXED BY dossiers_needing_attention" : ""
        let sql = JournalRows.dossierSelect(payload: true, hint: hint) + """
             WHERE (d.planned = 0 OR d.pending_changes > 0) AND (d.code, d.version) > (?, ?) ORDER BY d.code, d.version LIMIT \(max(1, limit))
            """
        return try await read { session throws(JournalError) in
            try session.rows(sql, [.text(start.code), .integer(Int64(start.version))]) { JournalRows.dossier($0) }
        }
    }

    func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        var filter = SQLFilter()
        filter.require("version = (SELECT MAX(version) FROM dossiers WHERE code = d.code)")
        filter.require("outcome", equals: outcome?.rawValue)
        filter.require("procedure_code", equals: procedure)
        if let since { filter.require("seen_at >= ?", .integer(since.millisecondsSinceEpoch)) }
        // A listing shows no payload: it is not read.
        let sql = JournalRows.dossierSelect(payload: false) + " \(filter.whereClause) ORDER BY seen_at DESC, code LIMIT \(max(1, limit))"
        let bound = filter.values
        return try await read { session throws(JournalError) in
            try session.rows(sql, bound) { JournalRows.dossier($0, payload: false) }
        }
    }

    func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord]) {
        let dossier: (sql: String, values: [SQLValue]) = if let version {
            (JournalRows.dossierSelect(payload: payload) + " WHERE d.code = ? AND d.version = ?", [.text(code), .integer(Int64(version))])
        } else {
            (JournalRows.dossierSelect(payload: payload) + " WHERE d.code = ? ORDER BY d.version DESC LIMIT 1", [.text(code)])
        }
        // Both in one snapshot, and on PostgreSQL in one round trip: every push and every
        // reconciliation reads them.
        return try await read { session throws(JournalError) in
            let (dossiers, transfers) = try session.rows(dossier, { JournalRows.dossier($0, payload: payload) },
                                                         and: ("SELECT \(JournalRows.transferColumns) FROM transfers WHERE dossier_code = ? ORDER BY id", [.text(code)]),
                                                         { JournalRows.transfer($0) })
            return (dossiers.first, transfers)
        }
    }

    func dossierCounts() async throws(JournalError) -> [DossierOutcome: Int] {
        // The outcome of each dossier's newest version, as the tally triggers keep it.
        try await read { session throws(JournalError) in
            var counts: [DossierOutcome: Int] = [:]
            for tally in try session.tallies("dossier") {
                if let outcome = DossierOutcome(rawValue: tally.state) { counts[outcome, default: 0] += tally.count }
            }
            return counts
        }
    }

    func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey] {
        try await read { session throws(JournalError) in
            try session.rows("""
                SELECT code, version FROM dossiers
                WHERE purged_at IS NULL AND outcome IN ('completed', 'cancelled', 'not-routed') AND outcome_at < ?
                ORDER BY outcome_at LIMIT \(max(1, limit))
                """, [.integer(before.millisecondsSinceEpoch)]) { DossierKey(code: $0.string(0), version: Int($0.int64(1))) }
        }
    }
}
