extension SQLiteJournal {
    /// One transfer by id: see ``Journal/transfer(id:)``.
    public func transfer(id: Int64) async throws(JournalError) -> TransferRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(SQLiteRows.transferColumns) FROM transfers WHERE id = ?").rows([.integer(id)], SQLiteRows.transfer).first
        }
    }

    /// Transfers matching `query`: see ``Journal/transfers(_:)``.
    public func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord] {
        var filter = SQLFilter()
        filter.require("state", in: query.states.map(\.rawValue))
        if let dueBy = query.dueBy {
            filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch))
        }
        filter.require("agency", equals: query.agency)
        filter.require("dossier_code", equals: query.dossierCode)
        let order = query.dueBy != nil ? "ORDER BY next_attempt_at IS NOT NULL, next_attempt_at, id" : "ORDER BY id"
        let sql = "SELECT \(SQLiteRows.transferColumns) FROM transfers \(filter.whereClause) \(order) LIMIT \(max(1, query.limit))"
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, SQLiteRows.transfer)
        }
    }

    /// Due work per agency, each agency under its own LIMIT: see ``Journal/dueTransfers(dueBy:limits:)``.
    public func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord] {
        let agencies = limits.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !agencies.isEmpty else { return [] }
        // Each agency gets its own LIMIT, so a large backlog at one cannot crowd out the others.
        // The state lists are literal so the partial indexes (migrations 4 and 5) apply: each
        // part reads only as many index entries as its LIMIT, whatever the backlog.
        let part = """
            SELECT * FROM (SELECT \(SQLiteRows.transferColumns) FROM transfers INDEXED BY transfers_scheduled
                WHERE agency = ? AND state IN ('retrying', 'accepted', 'cancelling') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
            UNION ALL
            SELECT * FROM (SELECT \(SQLiteRows.transferColumns) FROM transfers INDEXED BY transfers_unsent
                WHERE agency = ? AND state IN ('ready', 'sending') ORDER BY id LIMIT ?)
            """
        let sql = Array(repeating: part, count: agencies.count).joined(separator: " UNION ALL ")
        var values: [SQLiteValue] = []
        for (agency, limit) in agencies {
            values += [.text(agency), .integer(dueBy.millisecondsSinceEpoch), .integer(Int64(limit)), .text(agency), .integer(Int64(limit))]
        }
        let bound = values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, SQLiteRows.transfer)
        }
    }

    /// The next retry, follow-up, cancellation or write-back due after `after`: see ``Journal/nextDueTime(after:)``.
    public func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp? {
        let bound = after.millisecondsSinceEpoch
        return try await read { session throws(SQLiteError) in
            let transfers = try session.statement("""
                SELECT MIN(next_attempt_at) FROM transfers WHERE state IN ('retrying', 'accepted', 'cancelling') AND next_attempt_at > ?
                """).rows([.integer(bound)]) { $0.optionalInt64(0) }.first ?? nil
            let writeBacks = try session.statement("""
                SELECT MIN(next_attempt_at) FROM writebacks WHERE state = 'pending' AND next_attempt_at > ?
                """).rows([.integer(bound)]) { $0.optionalInt64(0) }.first ?? nil
            return [transfers, writeBacks].compactMap { $0 }.min().map(Timestamp.init(millisecondsSinceEpoch:))
        }
    }

    /// Counts by agency and state, oldest pending and last completion: see ``Journal/transferCounts()``.
    public func transferCounts() async throws(JournalError) -> TransferCounts {
        try await read { session throws(SQLiteError) in
            var counts = TransferCounts(byAgency: [:], oldestPending: [:])
            let rows = try session.statement("SELECT agency, state, COUNT(*), MIN(updated_at) FROM transfers GROUP BY agency, state")
                .rows { row in (row.string(0), TransferState(rawValue: row.string(1)), Int(row.int64(2)), row.int64(3)) }
            // One index seek per agency on (agency, state, updated_at), instead of a scan.
            let lastCompleted = try session.statement(
                "SELECT MAX(updated_at) FROM transfers INDEXED BY transfers_by_agency WHERE agency = ? AND state = 'completed'")
            for agency in Set(rows.map(\.0)) {
                if let last = try lastCompleted.rows([.text(agency)], { $0.optionalInt64(0) }).first ?? nil {
                    counts.lastCompleted[agency] = Timestamp(millisecondsSinceEpoch: last)
                }
            }
            for (agency, state, count, oldest) in rows {
                guard let state else { continue }
                counts.byAgency[agency, default: [:]][state] = count
                // Waiting transfers may be blocked for good (their earlier step was rejected); they are not pending work.
                if !state.isFinal, state != .waiting {
                    let stamp = Timestamp(millisecondsSinceEpoch: oldest)
                    counts.oldestPending[agency] = min(counts.oldestPending[agency] ?? stamp, stamp)
                }
            }
            return counts
        }
    }
}
