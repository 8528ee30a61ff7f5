extension SQLiteJournal {
    /// Write-backs by state, due time and dossier: see ``Journal/writeBacks(states:dueBy:dossierCode:limit:)``.
    public func writeBacks(states: Set<WriteBackState>, dueBy: Timestamp?, dossierCode: String?, limit: Int) async throws(JournalError) -> [WriteBackRecord] {
        var filter = SQLFilter()
        filter.require("state", in: states.map(\.rawValue))
        if let dueBy { filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch)) }
        filter.require("dossier_code", equals: dossierCode)
        let sql = "SELECT \(SQLiteRows.writeBackColumns) FROM writebacks \(filter.whereClause) ORDER BY next_attempt_at LIMIT \(max(1, limit))"
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, SQLiteRows.writeBack)
        }
    }
}
