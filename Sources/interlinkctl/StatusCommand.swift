import Interlink

/// `interlinkctl status`: the glance. Exit 1 when something needs attention.
enum StatusCommand: CtlCommand {
    static let name = "status"
    static let summary = "health at a glance: agencies, register cursor, outcomes, daemon"
    static let help = """
        Usage: interlinkctl status [--json] [--journal PATH | --config PATH]

        Per agency: transfers ready, in flight, retrying, dead, awaiting a decision and waiting,
        the circuit state, the last success and the age of the oldest pending item. Then the
        register cursor and its lag, write-backs by state (a dead one means the register never learned
        an outcome), dossiers by outcome, and every daemon node sharing the
        journal: its heartbeat, what it holds (the register poll's lease) and its summary. A
        circuit shows open when any live node's breaker for that agency is open.
        Exits 1 when transfers or write-backs are dead, a circuit is open, the register is unreachable,
        no daemon is alive, or a node died without stopping in the last day.

        Examples:
          interlinkctl status
          interlinkctl status --config /etc/interlink/interlink.json --json
        """

    static let flags: Set<String> = []
    static let options: Set<String> = []

    static func run(_ context: Context) async throws -> Int32 {
        let journal = try context.openJournal()
        let now = Timestamp.now()
        let counts = try await journal.transferCounts()
        let outcomes = try await journal.dossierCounts()
        let cursor = try await journal.cursor()
        let nodes = try await NodeSummary(journal: journal, now: now)
        let writeBacks = try await journal.writeBackCounts()
        let settings = try context.settings()
        let soon = settings.calendar.calendar.adding(working: Int64(settings.dueSoonWorkingHours) * 3_600_000, to: now)
        let incidents = try await journal.incidents(openOnly: true, dossierCode: nil, limit: 100)
        let deadlines = try await DeadlineStatus.undone(dueBy: soon, journal: journal, openIncidents: incidents)
        let overdue = deadlines.filter { $0.deadline.dueAt <= now }.count, dueSoon = deadlines.count - overdue
        var agencies: [String: JSONValue] = [:]
        var problems: [String] = []
        var table = Table(["agency", "ready", "in-flight", "retrying", "dead", "awaiting", "cancelling", "waiting", "circuit", "last success",
                           "oldest pending"])
        for agency in counts.byAgency.keys.sorted() {
            let states = counts.byAgency[agency] ?? [:]
            let circuit = nodes.circuit(agency)
            let dead = states[.dead, default: 0]
            if dead > 0 { problems.append("\(dead) dead transfers at \(agency); see `interlinkctl replay --agency \(agency) --state dead --dry-run`") }
            if circuit == "open" {
                problems.append("the circuit of \(agency) is open at \(nodes.nodesWithOpenCircuit(agency).joined(separator: ", ")): the agency keeps failing")
            }
            table.add([agency, "\(states[.ready, default: 0])", "\(states[.sending, default: 0])", "\(states[.retrying, default: 0])",
                       "\(dead)", "\(states[.accepted, default: 0])", "\(states[.cancelling, default: 0])", "\(states[.waiting, default: 0])", circuit,
                       Format.age(counts.lastCompleted[agency], now: now), Format.age(counts.oldestPending[agency], now: now)])
            agencies[agency] = [
                "ready": .number(Double(states[.ready, default: 0])), "inFlight": .number(Double(states[.sending, default: 0])),
                "retrying": .number(Double(states[.retrying, default: 0])), "dead": .number(Double(dead)),
                "awaitingDecision": .number(Double(states[.accepted, default: 0])),
                "cancelling": .number(Double(states[.cancelling, default: 0])), "waiting": .number(Double(states[.waiting, default: 0])),
                "circuit": .string(circuit), "lastSuccess": counts.lastCompleted[agency].map { .string($0.description) } ?? .null,
                "oldestPendingSeconds": Format.ageSeconds(counts.oldestPending[agency], now: now),
            ]
        }
        let register = nodes.register
        if nodes.alive, let register, register != "ok" {
            problems.append(register.hasPrefix("paused")
                ? "register polling is \(register); fix register.auth and run `systemctl reload interlinkd`"
                : "the register is \(register); polling is retried with backoff")
        }
        if writeBacks.dead > 0 {
            problems.append("\(writeBacks.dead) write-backs are dead: the register never learned these outcomes; "
                            + "see `interlinkctl replay --writebacks --state dead --dry-run`")
        }
        for (target, counts) in writeBacks.otherTargets.sorted(by: { $0.key < $1.key }) where counts.dead > 0 {
            problems.append("\(counts.dead) \(target.title)s are dead: the portal never learned these; "
                            + "see `interlinkctl replay --writebacks --state dead --dry-run`")
        }
        problems += nodes.problems
        for incident in incidents {
            problems.append("incident #\(incident.id) open since \(context.shownTime(incident.openedAt)): \(incident.kind.rawValue) at \(incident.service); "
                            + "see `interlinkctl incidents --open`")
        }
        let lag = cursor.flatMap { Timestamp(rfc3339: $0.updatedSince) }
        if context.json {
            context.printJSON([
                "daemon": ["alive": .bool(nodes.alive), "lastHeartbeat": nodes.lastHeartbeat.map { .string($0.description) } ?? .null,
                           "status": nodes.live.first.map { .string($0.beat.status) } ?? .null],
                "nodes": nodes.json,
                "register": ["cursor": cursor.map { ["updatedSince": .string($0.updatedSince), "afterCode": .string($0.afterCode)] } ?? .null,
                             "lagSeconds": Format.ageSeconds(lag, now: now), "health": register.map(JSONValue.string) ?? .null],
                "agencies": .object(agencies),
                "writeBacks": ["pending": .number(Double(writeBacks.pending)), "retrying": .number(Double(writeBacks.retrying)),
                               "dead": .number(Double(writeBacks.dead)), "sent": .number(Double(writeBacks.sent)),
                               "oldestWaitingSeconds": Format.ageSeconds(writeBacks.oldestWaitingSince, now: now)],
                "portalReports": .object(Dictionary(uniqueKeysWithValues: writeBacks.otherTargets.map { target, counts in
                    (target.rawValue, ["pending": .number(Double(counts.pending)), "retrying": .number(Double(counts.retrying)),
                                       "dead": .number(Double(counts.dead)), "sent": .number(Double(counts.sent)),
                                       "oldestWaitingSeconds": Format.ageSeconds(counts.oldestWaitingSince, now: now)] as JSONValue)
                })),
                "dossiers": .object(Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key.rawValue, JSONValue.number(Double($0.value))) })),
                "deadlines": ["overdue": .number(Double(overdue)), "dueSoon": .number(Double(dueSoon)),
                              "dueSoonWorkingHours": .number(Double(settings.dueSoonWorkingHours))],
                "incidents": .array(incidents.map(IncidentsCommand.json)),
                "problems": .array(problems.map(JSONValue.string)),
            ])
        } else {
            let heartbeat = nodes.lastHeartbeat
            let daemonLine = nodes.alive ? "\(nodes.live.count) running (heartbeat \(Format.age(heartbeat, now: now)) ago)"
                : heartbeat == nil ? "never run" : "NOT RUNNING (last heartbeat: \(Format.age(heartbeat, now: now)) ago)"
            context.print("Daemon:   \(daemonLine)")
            for line in nodes.lines { context.print(line) }
            context.print("Register: " + (cursor.map { "cursor \($0.updatedSince) after \($0.afterCode); lag \(Format.age(lag, now: now))" } ?? "not polled yet"))
            context.print("")
            context.print(table.text)
            context.print("")
            context.print("Write-backs: pending \(writeBacks.pending), retrying \(writeBacks.retrying), dead \(writeBacks.dead), sent \(writeBacks.sent)"
                          + (writeBacks.oldestWaitingSince.map { "; oldest waiting \(Format.age($0, now: now))" } ?? ""))
            for (target, counts) in writeBacks.otherTargets.sorted(by: { $0.key < $1.key }) {
                context.print("Portal \(target == .portalDossier ? "dossier syncs" : "progress reports"): pending \(counts.pending), "
                              + "retrying \(counts.retrying), dead \(counts.dead), sent \(counts.sent)"
                              + (counts.oldestWaitingSince.map { "; oldest waiting \(Format.age($0, now: now))" } ?? ""))
            }
            let summary = DossierOutcome.allCases.compactMap { outcome in outcomes[outcome].map { "\(outcome.rawValue) \($0)" } }
            context.print("Dossiers: " + (summary.isEmpty ? "none" : summary.joined(separator: ", ")))
            context.print("Deadlines: \(overdue) overdue, \(dueSoon) due within \(settings.dueSoonWorkingHours) working hours"
                          + (deadlines.isEmpty ? "" : "; see `interlinkctl overdue`"))
            for problem in problems { context.print("! \(problem)") }
        }
        return problems.isEmpty ? Exit.ok : Exit.problems
    }
}
