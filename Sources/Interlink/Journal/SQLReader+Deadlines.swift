/// Deadline and incident queries, for both backends.
extension SQLReader {
    func deadlines(dossierCode: String) async throws(JournalError) -> [DeadlineRecord] {
        try await read { session throws(JournalError) in
            try session.rows("SELECT \(JournalRows.deadlineColumns) FROM deadlines WHERE dossier_code = ? ORDER BY due_at, step",
                             [.text(dossierCode)]) { JournalRows.deadline($0) }
        }
    }

    func openDeadlines(dueBy: Timestamp, limit: Int) async throws(JournalError) -> [DeadlineRecord] {
        try await read { session throws(JournalError) in
            try session.rows("""
                SELECT \(JournalRows.deadlineColumns) FROM deadlines WHERE settled_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?
                """, [.integer(dueBy.millisecondsSinceEpoch), .integer(Int64(limit))]) { JournalRows.deadline($0) }
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
