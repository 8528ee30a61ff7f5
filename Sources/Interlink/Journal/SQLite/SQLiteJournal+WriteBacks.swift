extension SQLiteJournal {
    public func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, limit: Int) async throws(JournalError) -> [WriteBackRecord] {
        var filter = SQLFilter()
        filter.require("state", in: states.map(\.rawValue))
        if let dueBy { filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch)) }
        filter.require("dossier_code", equals: dossierCode)
        let sql = """
            SELECT dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts, next_attempt_at,
                first_attempt_at, last_error
            FROM writebacks \(filter.whereClause) ORDER BY next_attempt_at LIMIT \(max(1, limit))
            """
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound) { row in
                WriteBackRecord(
                    dossierCode: row.string(0), dossierVersion: Int(row.int64(1)), sequence: Int(row.int64(2)),
                    outcome: DossierOutcome(rawValue: row.string(3)) ?? .inProgress, body: row.string(4), idempotencyKey: row.string(5),
                    state: WriteBackState(rawValue: row.string(6)) ?? .pending, attempts: Int(row.int64(7)),
                    nextAttemptAt: row.optionalInt64(8).map(Timestamp.init(millisecondsSinceEpoch:)),
                    firstAttemptAt: row.optionalInt64(9).map(Timestamp.init(millisecondsSinceEpoch:)),
                    lastError: row.optionalString(10))
            }
        }
    }

    public func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp? {
        let bound = after.millisecondsSinceEpoch
        return try await read { session throws(SQLiteError) in
            let transfers = try session.statement("""
                SELECT MIN(next_attempt_at) FROM transfers WHERE state IN ('retrying', 'accepted') AND next_attempt_at > ?
                """).rows([.integer(bound)]) { $0.optionalInt64(0) }.first ?? nil
            let writeBacks = try session.statement("""
                SELECT MIN(next_attempt_at) FROM writebacks WHERE state = 'pending' AND next_attempt_at > ?
                """).rows([.integer(bound)]) { $0.optionalInt64(0) }.first ?? nil
            return [transfers, writeBacks].compactMap { $0 }.min().map(Timestamp.init(millisecondsSinceEpoch:))
        }
    }

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
}
