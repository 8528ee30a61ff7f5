/// Decoding deadline and incident rows, for both backends.
extension JournalRows {
    static let deadlineColumns = "dossier_code, step, route, agency, starts_at, due_at, overdue_at, settled_at"

    static func deadline(_ row: some SQLRow) -> DeadlineRecord {
        let step = row.string(1), agency = row.string(3)
        return DeadlineRecord(dossierCode: row.string(0), step: step.isEmpty ? nil : step, route: row.string(2), agency: agency.isEmpty ? nil : agency,
                              startsAt: Timestamp(millisecondsSinceEpoch: row.int64(4)), dueAt: Timestamp(millisecondsSinceEpoch: row.int64(5)),
                              overdueAt: row.optionalInt64(6).map(Timestamp.init(millisecondsSinceEpoch:)),
                              settledAt: row.optionalInt64(7).map(Timestamp.init(millisecondsSinceEpoch:)))
    }

    static let incidentColumns = "id, service, kind, opened_at, closed_at, attempts, dossiers, first_error, last_error"

    /// Nil for a kind this binary does not know (written by a newer one).
    static func incident(_ row: some SQLRow) -> IncidentRecord? {
        guard let kind = IncidentKind(rawValue: row.string(2)) else { return nil }
        return IncidentRecord(id: row.int64(0), service: row.string(1), kind: kind, openedAt: Timestamp(millisecondsSinceEpoch: row.int64(3)),
                              closedAt: row.optionalInt64(4).map(Timestamp.init(millisecondsSinceEpoch:)), attempts: Int(row.int64(5)),
                              dossiers: Int(row.int64(6)), firstError: row.optionalString(7), lastError: row.optionalString(8))
    }
}
