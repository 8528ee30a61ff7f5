/// Deadline and incident queries, for both backends.
extension SQLReader {
    func deadlines(dossierCode: String) async throws(JournalError) -> [DeadlineRecord] {
        try await read { session throws(JournalError) in
            try session.rows("SELECT \(JournalRows.deadlineColumns) FROM deadlines WHERE dossier_code = ? ORDER BY due_at, step",
                             [.text(dossierCode)]) { JournalRows.deadline($0) }
        }
    }

    func openDeadlines(dueBy: Timestamp, groupsOnly: Bool, limit: Int) async throws(JournalError) -> OpenDeadlines {
        let open = "settled_at IS NULL AND due_at <= ?" + (groupsOnly ? " AND step = ''" : "")
        let chosen = "SELECT dossier_code FROM deadlines WHERE \(open) ORDER BY due_at LIMIT ?"
        let bound: [SQLValue] = [.integer(dueBy.millisecondsSinceEpoch), .integer(Int64(max(1, limit)))]
        return try await read { session throws(JournalError) in
            var result = OpenDeadlines(deadlines: try session.rows("SELECT \(JournalRows.deadlineColumns) FROM deadlines WHERE \(open) ORDER BY due_at LIMIT ?",
                                                                  bound) { JournalRows.deadline($0) })
            guard !result.deadlines.isEmpty else { return result }
            let versions = try session.rows("SELECT code, version, outcome FROM dossiers WHERE code IN (\(chosen))", bound) {
                ($0.string(0), Int($0.int64(1)), $0.optionalString(2))
            }
            for (code, version, outcome) in versions where version > result.dossiers[code]?.version ?? 0 {
                result.dossiers[code] = (version, outcome.flatMap(DossierOutcome.init(rawValue:)))
            }
            let transfers = try session.rows("SELECT \(JournalRows.transferColumns) FROM transfers WHERE dossier_code IN (\(chosen)) ORDER BY id",
                                             bound) { JournalRows.transfer($0) }
            for transfer in transfers { result.transfers[transfer.dossierCode, default: []].append(transfer) }
            result.writeBackPending = Set(try session.rows("""
                SELECT dossier_code FROM writebacks WHERE state = 'pending' AND target = 'register' AND dossier_code IN (\(chosen))
                """, bound) { $0.string(0) })
            return result
        }
    }

    func incidents(openOnly: Bool, dossierCode: String?, limit: Int) async throws(JournalError) -> [IncidentRecord] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if openOnly { conditions.append("closed_at IS NULL") }
        if let dossierCode {
            conditions.append("id IN (SELECT incident_id FROM incident_dossiers WHERE dossier_code = ?)")
            values.append(.text(dossierCode))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let arguments = values + [.integer(Int64(limit))]
        return try await read { session throws(JournalError) in
            try session.rows("SELECT \(JournalRows.incidentColumns) FROM incidents \(filter) ORDER BY id DESC LIMIT ?", arguments) { JournalRows.incident($0) }
        }.compactMap { $0 }
    }
}
