/// The journal's transfer reads, in SQL both backends run.
extension SQLReader {
    // These are the journal's reads for both backends: as the backends are internal types,
    // these methods are their `Journal` witnesses.
    func transfer(id: Int64) async throws(JournalError) -> TransferRecord? {
        try await read { session throws(JournalError) in
            try session.first("SELECT \(JournalRows.transferColumns) FROM transfers WHERE id = ?", [.integer(id)]) { JournalRows.transfer($0) }
        }
    }

    func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord] {
        var filter = SQLFilter()
        filter.require("state", in: query.states.map(\.rawValue))
        if let dueBy = query.dueBy {
            filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch))
        }
        filter.require("agency", equals: query.agency)
        filter.require("dossier_code", equals: query.dossierCode)
        let order = query.dueBy != nil ? "ORDER BY next_attempt_at IS NOT NULL, next_attempt_at, id" : "ORDER BY id"
        let sql = "SELECT \(JournalRows.transferColumns) FROM transfers \(filter.whereClause) \(order) LIMIT \(max(1, query.limit))"
        let bound = filter.values
        return try await read { session throws(JournalError) in
            try session.rows(sql, bound) { JournalRows.transfer($0) }
        }
    }

    func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord] {
        let agencies = limits.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !agencies.isEmpty else { return [] }
        // Each agency gets its own LIMIT, so a large backlog at one cannot crowd out the others.
        // The state lists are literal so the partial indexes apply: each part reads only as many
        // index entries as its LIMIT, whatever the backlog (SQLite must be told to use them).
        let (scheduled, unsent) = dialect == .sqlite ? ("INDEXED BY transfers_scheduled", "INDEXED BY transfers_unsent") : ("", "")
        let part = """
            SELECT * FROM (SELECT \(JournalRows.transferColumns) FROM transfers \(scheduled)
                WHERE agency = ? AND state IN ('retrying', 'accepted', 'cancelling') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?) s
            UNION ALL
            SELECT * FROM (SELECT \(JournalRows.transferColumns) FROM transfers \(unsent)
                WHERE agency = ? AND state IN ('ready', 'sending') ORDER BY id LIMIT ?) u
            """
        let sql = agencies.indices.map { "SELECT * FROM (\(part)) a\($0)" }.joined(separator: " UNION ALL ")
        var values: [SQLValue] = []
        for (agency, limit) in agencies {
            values += [.text(agency), .integer(dueBy.millisecondsSinceEpoch), .integer(Int64(limit)), .text(agency), .integer(Int64(limit))]
        }
        let bound = values
        return try await read { session throws(JournalError) in
            try session.rows(sql, bound) { JournalRows.transfer($0) }
        }
    }

    func nextDueTime(after: Timestamp) async throws(JournalError) -> Timestamp? {
        let bound: [SQLValue] = [.integer(after.millisecondsSinceEpoch)]
        return try await read { session throws(JournalError) in
            let transfers = try session.first("""
                SELECT MIN(next_attempt_at) FROM transfers WHERE state IN ('retrying', 'accepted', 'cancelling') AND next_attempt_at > ?
                """, bound) { $0.optionalInt64(0) } ?? nil
            let writeBacks = try session.first("SELECT MIN(next_attempt_at) FROM writebacks WHERE state = 'pending' AND next_attempt_at > ?",
                                               bound) { $0.optionalInt64(0) } ?? nil
            return [transfers, writeBacks].compactMap { $0 }.min().map(Timestamp.init(millisecondsSinceEpoch:))
        }
    }

    func transferCounts() async throws(JournalError) -> TransferCounts {
        // One index seek per agency on (agency, state, updated_at), instead of a scan.
        let lastCompleted = "SELECT MAX(updated_at) FROM transfers \(dialect == .sqlite ? "INDEXED BY transfers_by_agency" : "") "
            + "WHERE agency = ? AND state = 'completed'"
        return try await read { session throws(JournalError) in
            var counts = TransferCounts(byAgency: [:], oldestPending: [:])
            let tallies = try session.tallies("transfer")
            for agency in Set(tallies.map(\.scope)) {
                let last = try session.first(lastCompleted, [.text(agency)]) { $0.optionalInt64(0) } ?? nil
                if let last {
                    counts.lastCompleted[agency] = Timestamp(millisecondsSinceEpoch: last)
                }
            }
            for tally in tallies {
                guard let state = TransferState(rawValue: tally.state) else { continue }
                counts.byAgency[tally.scope, default: [:]][state] = tally.count
            }
            // Pending since the step first became ready (or, for rows older than that column,
            // was first sent or created): retries and receipt polls do not make it young again.
            // Waiting transfers may be blocked for good (their earlier step was rejected); they
            // are not pending work. Only unfinished rows are read: the two halves are the
            // predicates of the partial indexes `transfers_unsent` and `transfers_scheduled`,
            // which PostgreSQL uses only for a predicate it can prove matches (an IN list of all
            // five states scanned the whole table, 0.3 s at 200,000 dossiers).
            let oldest = try session.rows("""
                SELECT agency, MIN(since) FROM (
                    SELECT agency, COALESCE(ready_at, first_attempt_at, created_at) AS since FROM transfers WHERE state IN ('ready', 'sending')
                    UNION ALL
                    SELECT agency, COALESCE(ready_at, first_attempt_at, created_at) FROM transfers WHERE state IN ('retrying', 'accepted', 'cancelling')
                ) pending GROUP BY agency
                """, []) { ($0.string(0), $0.int64(1)) }
            for (agency, since) in oldest { counts.oldestPending[agency] = Timestamp(millisecondsSinceEpoch: since) }
            return counts
        }
    }
}
