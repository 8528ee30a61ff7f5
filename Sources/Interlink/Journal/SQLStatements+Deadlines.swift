/// Deadlines and incidents in SQL both backends run.
extension SQLStatements {
    func insertDeadline(_ row: DeadlineRecord) throws(JournalError) {
        // The first plan sets the clock; a later version of the dossier does not restart it.
        try perform("""
            INSERT INTO deadlines (dossier_code, step, route, agency, starts_at, due_at, overdue_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, [.text(row.dossierCode), .text(row.step ?? ""), .text(row.route), .text(row.agency ?? ""),
                  .integer(row.startsAt.millisecondsSinceEpoch), .integer(row.dueAt.millisecondsSinceEpoch), SQLValue(row.overdueAt?.millisecondsSinceEpoch)])
    }

    func markDeadline(_ mark: DeadlineMark, at: Int64) throws(JournalError) -> Bool {
        let (column, code, step) = switch mark {
        case .overdue(let code, let step): ("overdue_at", code, step)
        case .settled(let code, let step): ("settled_at", code, step)
        }
        return try change("UPDATE deadlines SET \(column) = ? WHERE dossier_code = ? AND step = ? AND \(column) IS NULL AND settled_at IS NULL",
                          [.integer(at), .text(code), .text(step ?? "")]) > 0
    }

    func openIncident(service: String, kind: IncidentKind, error: String, at: Int64) throws(JournalError) -> Int64? {
        let inserted = try change("""
            INSERT INTO incidents (service, kind, opened_at, attempts, first_error, last_error) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING
            """, [.text(service), .text(kind.rawValue), .integer(at), .text(error), .text(error)])
        guard inserted > 0 else { return nil }
        return try openIncidentRow(service: service, kind: kind)?.id
    }

    func recordIncidentFailure(service: String, kind: IncidentKind, error: String) throws(JournalError) {
        try perform("UPDATE incidents SET attempts = attempts + 1, last_error = ? WHERE service = ? AND kind = ? AND closed_at IS NULL",
                    [.text(error), .text(service), .text(kind.rawValue)])
    }

    /// Closes the open incident, first counting the dossiers it held up: those with work at
    /// the service that changed since it opened or still waits (write-backs, for the register).
    func closeIncident(service: String, kind: IncidentKind, at: Int64) throws(JournalError) -> IncidentRecord? {
        guard var incident = try openIncidentRow(service: service, kind: kind) else { return nil }
        // Closing first, conditionally: of several daemons closing at once, one changes the row (the others wait, then find it closed).
        guard try change("UPDATE incidents SET closed_at = ? WHERE id = ? AND closed_at IS NULL", [.integer(at), .integer(incident.id)]) > 0 else { return nil }
        let opened = incident.openedAt.millisecondsSinceEpoch
        if kind == .registerOutage {
            try perform("""
                INSERT INTO incident_dossiers (incident_id, dossier_code) SELECT DISTINCT CAST(? AS BIGINT), dossier_code FROM writebacks
                WHERE updated_at >= ? OR state = 'pending' ON CONFLICT DO NOTHING
                """, [.integer(incident.id), .integer(opened)])
        } else {
            try perform("""
                INSERT INTO incident_dossiers (incident_id, dossier_code) SELECT DISTINCT CAST(? AS BIGINT), dossier_code FROM transfers
                WHERE agency = ? AND (updated_at >= ? OR state IN ('ready', 'sending', 'retrying')) ON CONFLICT DO NOTHING
                """, [.integer(incident.id), .text(service), .integer(opened)])
        }
        incident.dossiers = Int(try select("SELECT COUNT(*) FROM incident_dossiers WHERE incident_id = ?", [.integer(incident.id)]) { $0.int64(0) }.first ?? 0)
        try perform("UPDATE incidents SET dossiers = ? WHERE id = ?", [.integer(Int64(incident.dossiers)), .integer(incident.id)])
        incident.closedAt = Timestamp(millisecondsSinceEpoch: at)
        return incident
    }

    private func openIncidentRow(service: String, kind: IncidentKind) throws(JournalError) -> IncidentRecord? {
        try select("SELECT \(JournalRows.incidentColumns) FROM incidents WHERE service = ? AND kind = ? AND closed_at IS NULL",
                   [.text(service), .text(kind.rawValue)]) { JournalRows.incident($0) }.first ?? nil
    }
}
