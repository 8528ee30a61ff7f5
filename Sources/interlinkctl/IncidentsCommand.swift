import Interlink

/// `interlinkctl incidents`: outages and stalls, one record each, shared by every daemon.
enum IncidentsCommand: CtlCommand {
    static let name = "incidents"
    static let summary = "agency and register outages, dead runs and stalls, opened and closed once"
    static let help = """
        Usage: interlinkctl incidents [--open] [--limit N] [--json]

        The newest N (default 50) incidents, newest first: an agency's circuit that opened, the
        register unreachable, a run of dead transfers at one agency (incidents.deadTransfersInARow),
        or a queue that made no progress for incidents.stalledSeconds. Each shows its id, service,
        kind, when it opened and closed, the failed attempts, the dossiers it held up (counted when
        it closes) and its first and last error. With several daemons on one journal, each incident
        is opened and closed once. --open lists only those still open, and exits 1 when there is one.
        `interlinkctl show CODE` names the incidents that held a dossier up.

        Examples:
          interlinkctl incidents --open
          interlinkctl incidents --limit 200 --json
        """
    static let flags: Set<String> = ["open"]
    static let options: Set<String> = ["limit"]

    static func run(_ context: Context) async throws -> Int32 {
        let limit = try Commands.limit(context.options, default: 50)
        let journal = try context.openJournal()
        let incidents = try await journal.incidents(openOnly: context.options.has("open"), dossierCode: nil, limit: limit)
        if context.json {
            for incident in incidents { context.printJSON(json(incident)) }
        } else if incidents.isEmpty {
            context.print(context.options.has("open") ? "no open incident" : "no incident recorded")
        } else {
            context.print(table(incidents, context: context).text)
        }
        return context.options.has("open") && !incidents.isEmpty ? Exit.problems : Exit.ok
    }

    static func table(_ incidents: [IncidentRecord], context: Context) -> Table {
        var table = Table(["id", "service", "kind", "opened", "closed", "attempts", "dossiers", "first error", "last error"])
        for incident in incidents {
            table.add(["#\(incident.id)", incident.service, incident.kind.rawValue, context.shownTime(incident.openedAt),
                       incident.closedAt.map(context.shownTime) ?? "open", "\(incident.attempts)",
                       incident.closedAt == nil ? "-" : "\(incident.dossiers)", context.shown(incident.firstError ?? "-"),
                       context.shown(incident.lastError ?? "-")])
        }
        return table
    }

    static func json(_ incident: IncidentRecord) -> JSONValue {
        ["id": .number(Double(incident.id)), "service": .string(incident.service), "kind": .string(incident.kind.rawValue),
         "openedAt": .string(incident.openedAt.description), "closedAt": incident.closedAt.map { .string($0.description) } ?? .null,
         "attempts": .number(Double(incident.attempts)), "dossiers": .number(Double(incident.dossiers)),
         "firstError": incident.firstError.map(JSONValue.string) ?? .null, "lastError": incident.lastError.map(JSONValue.string) ?? .null]
    }
}
