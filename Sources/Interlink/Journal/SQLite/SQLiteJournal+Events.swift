extension SQLiteJournal {
    /// The matching events, newest `limit` returned oldest first: see ``Journal/events(_:)``.
    public func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord] {
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
            SELECT * FROM (SELECT \(SQLiteRows.eventColumns) FROM events \(filter.whereClause) ORDER BY seq DESC LIMIT \(max(1, query.limit)))
            ORDER BY seq
            """
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, SQLiteRows.event)
        }
    }

    /// Up to `limit` events after sequence `after`, in order: see ``Journal/auditEntries(after:limit:)``.
    public func auditEntries(after: Int64, limit: Int) async throws(JournalError) -> [AuditEntry] {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(SQLiteRows.eventColumns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?")
                .rows([.integer(after), .integer(Int64(max(1, limit)))], SQLiteRows.auditEntry)
        }
    }
}
