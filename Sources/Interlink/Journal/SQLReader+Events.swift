/// The journal's event and write-back reads, in SQL both backends run.
extension SQLReader {
    // These are the journal's reads for both backends: as the backends are internal types,
    // these methods are their `Journal` witnesses.
    func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord] {
        var filter = SQLFilter()
        filter.require("dossier_code", equals: query.dossierCode)
        filter.require("agency", equals: query.agency)
        if let level = query.minimumLevel {
            filter.require("level", in: LogLevel.allCases.filter { $0 <= level }.map(\.rawValue))
        }
        if let since = query.since { filter.require("at >= ?", .integer(since.millisecondsSinceEpoch)) }
        if let until = query.until { filter.require("at <= ?", .integer(until.millisecondsSinceEpoch)) }
        if let after = query.afterSequence { filter.require("seq > ?", .integer(after)) }
        // The newest `limit` events, returned oldest first, like a log.
        let sql = """
            SELECT * FROM (SELECT \(JournalRows.eventColumns) FROM events \(filter.whereClause) ORDER BY seq DESC LIMIT \(max(1, query.limit))) newest
            ORDER BY seq
            """
        let bound = filter.values
        return try await read { session throws(JournalError) in
            try session.rows(sql, bound) { JournalRows.event($0) }
        }
    }

    func auditEntries(after: Int64, limit: Int) async throws(JournalError) -> [AuditEntry] {
        try await read { session throws(JournalError) in
            try session.rows("SELECT \(JournalRows.eventColumns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                             [.integer(after), .integer(Int64(max(1, limit)))]) { JournalRows.auditEntry($0) }
        }
    }

    func writeBackCounts() async throws(JournalError) -> WriteBackCounts {
        let (tallies, oldest) = try await read { session throws(JournalError) in
            (try session.tallies("writeback"),
             try session.rows("SELECT target, MIN(COALESCE(first_attempt_at, updated_at)) FROM writebacks WHERE state = 'pending' GROUP BY target",
                              []) { ($0.string(0), $0.int64(1)) })
        }
        var byTarget: [WriteBackTarget: WriteBackCounts] = [:]
        for tally in tallies {
            let target = WriteBackTarget(rawValue: tally.scope) ?? .register
            var counts = byTarget[target] ?? WriteBackCounts()
            switch WriteBackState(rawValue: tally.state) {
            case .pending?: if tally.tried { counts.retrying += tally.count } else { counts.pending += tally.count }
            case .dead?: counts.dead += tally.count
            case .sent?: counts.sent += tally.count
            default: break
            }
            byTarget[target] = counts
        }
        for (target, since) in oldest {
            // One row per target: grouped by it.
            byTarget[WriteBackTarget(rawValue: target) ?? .register, default: WriteBackCounts()].oldestWaitingSince = Timestamp(millisecondsSinceEpoch: since)
        }
        var counts = byTarget.removeValue(forKey: .register) ?? WriteBackCounts()
        counts.otherTargets = byTarget
        return counts
    }

    func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, target: WriteBackTarget?,
                    limit: Int) async throws(JournalError) -> [WriteBackRecord] {
        var filter = SQLFilter()
        filter.require("state", in: states.map(\.rawValue))
        if let dueBy { filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch)) }
        filter.require("dossier_code", equals: dossierCode)
        filter.require("target", equals: target?.rawValue)
        // Unscheduled first, then by due time, on every backend (their NULL orders differ).
        let sql = """
            SELECT \(JournalRows.writeBackColumns) FROM writebacks \(filter.whereClause)
            ORDER BY next_attempt_at IS NOT NULL, next_attempt_at LIMIT \(max(1, limit))
            """
        let bound = filter.values
        return try await read { session throws(JournalError) in
            try session.rows(sql, bound) { JournalRows.writeBack($0) }
        }
    }
}
