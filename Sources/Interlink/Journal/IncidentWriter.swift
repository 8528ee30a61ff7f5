/// Applies incident changes inside a batch's transaction. The opening and the closing each
/// journal one event, written by whichever writer changed the row, so several daemons seeing
/// the same outage open, and close, one incident and tell it once.
enum IncidentWriter {
    static func apply(_ change: IncidentChange, into statements: some JournalStatements, now: Int64) throws(JournalError) -> NewEvent? {
        let at = Timestamp(millisecondsSinceEpoch: now)
        switch change {
        case .open(let service, let kind, let error):
            guard let id = try statements.openIncident(service: service, kind: kind, error: error, at: now) else { return nil }
            return NewEvent(at: at, level: .warning, kind: .incident, agency: service == "register" ? nil : service,
                            message: "incident #\(id) opened: \(kind.rawValue) at \(service): \(error)",
                            detail: ["incident": .number(Double(id)), "service": .string(service), "kind": .string(kind.rawValue), "state": "open"])
        case .failure(let service, let kind, let error):
            try statements.recordIncidentFailure(service: service, kind: kind, error: error)
            return nil
        case .close(let service, let kind):
            guard let incident = try statements.closeIncident(service: service, kind: kind, at: now) else { return nil }
            let minutes = (now - incident.openedAt.millisecondsSinceEpoch) / 60_000
            return NewEvent(at: at, level: .notice, kind: .incident, agency: service == "register" ? nil : service,
                            message: "incident #\(incident.id) closed: \(kind.rawValue) at \(service) after \(minutes) min, "
                                + "\(incident.attempts) failed attempts, \(incident.dossiers) dossiers held up",
                            detail: ["incident": .number(Double(incident.id)), "service": .string(service), "kind": .string(kind.rawValue),
                                     "state": "closed", "attempts": .number(Double(incident.attempts)), "dossiers": .number(Double(incident.dossiers))])
        }
    }
}
