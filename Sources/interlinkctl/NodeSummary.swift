import Interlink

/// The daemons that share the journal, as `status` reports them: each node's heartbeat, what
/// it holds and how it sees the agencies, and the verdicts drawn from all of them.
struct NodeSummary {
    /// One daemon run, as its instance row says.
    struct Node {
        let beat: InstanceBeat
        let alive: Bool
        var stopped: Bool { beat.stoppedAt != nil }
        /// What the node last said of the register: `ok`, `unreachable`, `paused: ...`.
        var register: String? { beat.detail["register"]?.stringValue }
        /// Its view of each agency's circuit; each daemon keeps its own breakers.
        var circuits: [String: String] { beat.detail["circuits"]?.objectValue?.compactMapValues(\.stringValue) ?? [:] }
        var holds: [String] { beat.detail["holds"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    }

    /// Nodes whose heartbeat stopped longer ago than this are history, not news.
    static let forgetAfterMs: Int64 = 86_400_000

    let nodes: [Node]
    let now: Timestamp

    /// Reads the instance rows; a node is alive when it beat within its own timeout and did not stop.
    init(journal: any Journal, now: Timestamp) async throws {
        self.now = now
        nodes = try await journal.instances().map { beat in
            let timeoutMs = Int64(beat.detail["timeoutSeconds"]?.intValue ?? 15) * 1_000
            let alive = beat.stoppedAt == nil && now.millisecondsSinceEpoch - beat.heartbeatAt.millisecondsSinceEpoch < timeoutMs
            return Node(beat: beat, alive: alive)
        }.sorted { $0.beat.heartbeatAt > $1.beat.heartbeatAt }
    }

    var live: [Node] { nodes.filter(\.alive) }
    var alive: Bool { !live.isEmpty }
    /// The most recent heartbeat of any node.
    var lastHeartbeat: Timestamp? { nodes.first?.beat.heartbeatAt }

    /// The circuit the live nodes agree on, or the worst of their views: one node's open
    /// circuit means its requests to that agency are failing.
    func circuit(_ agency: String) -> String {
        let views = Set(live.compactMap { $0.circuits[agency] })
        return views.contains("open") ? "open" : views.contains("half-open") ? "half-open" : "closed"
    }

    /// Which live nodes see the agency's circuit open.
    func nodesWithOpenCircuit(_ agency: String) -> [String] {
        live.filter { $0.circuits[agency] == "open" }.map(\.beat.id)
    }

    /// The register's health as the node that polls it sees it; else any live node's.
    var register: String? {
        (live.first { $0.holds.contains("register-poll") } ?? live.first)?.register
    }

    /// What needs an operator: no daemon, or a node that died without stopping (its work was
    /// taken over, but whatever killed it may kill the next one).
    var problems: [String] {
        var problems: [String] = []
        if nodes.isEmpty { return ["no daemon has run on this journal"] }
        if !alive, let last = nodes.first {
            problems.append(last.stopped ? "the daemon stopped \(Format.age(last.beat.stoppedAt, now: now)) ago; start it with `systemctl start interlinkd`"
                : "the daemon's last heartbeat was \(Format.age(last.beat.heartbeatAt, now: now)) ago; is interlinkd stuck? see the runbook in the README")
        } else {
            for node in nodes where !node.alive && !node.stopped && age(node) < Self.forgetAfterMs {
                problems.append("node \(node.beat.id) stopped beating \(Format.age(node.beat.heartbeatAt, now: now)) ago without stopping; "
                                + "the other nodes took over its work; check that host's journal (`journalctl -u interlinkd`)")
            }
        }
        return problems
    }

    private func age(_ node: Node) -> Int64 {
        now.millisecondsSinceEpoch - node.beat.heartbeatAt.millisecondsSinceEpoch
    }

    /// The recent nodes, for `--json`.
    var json: JSONValue {
        .array(nodes.filter { $0.alive || age($0) < Self.forgetAfterMs }.map { node in
            [
                "id": .string(node.beat.id), "host": .string(node.beat.host), "pid": .number(Double(node.beat.pid)),
                "startedAt": .string(node.beat.startedAt.description), "lastHeartbeat": .string(node.beat.heartbeatAt.description),
                "alive": .bool(node.alive), "stoppedAt": node.beat.stoppedAt.map { .string($0.description) } ?? .null,
                "status": .string(node.beat.status), "register": node.register.map(JSONValue.string) ?? .null,
                "holds": .array(node.holds.map(JSONValue.string)), "circuits": .object(node.circuits.mapValues(JSONValue.string)),
            ]
        })
    }

    /// One line per recent node, for the text output.
    var lines: [String] {
        nodes.filter { $0.alive || age($0) < Self.forgetAfterMs }.map { node in
            let state = node.alive ? "running, heartbeat \(Format.age(node.beat.heartbeatAt, now: now)) ago"
                : node.stopped ? "stopped \(Format.age(node.beat.stoppedAt, now: now)) ago"
                : "DEAD, last heartbeat \(Format.age(node.beat.heartbeatAt, now: now)) ago"
            let holds = node.holds.isEmpty ? "" : "; holds \(node.holds.joined(separator: ", "))"
            return "  \(node.beat.id): \(state)\(holds)\(node.alive && !node.beat.status.isEmpty ? "; \(node.beat.status)" : "")"
        }
    }
}
