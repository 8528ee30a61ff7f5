import Foundation
import Interlink

let help = """
    interlink-bench \(InterlinkVersion.current): benchmarks that print their figures (never pass/fail).

    Usage: interlink-bench sync [--dossiers N] [--latency-ms MS] [--output FILE]
           interlink-bench raw [--dossiers N] [--rounds R]
           interlink-bench nodes [--dossiers N] [--latency-ms MS] [--nodes 1,2,3] [--output FILE]
           interlink-bench backlog [--dossiers N] [--output FILE]
           interlink-bench tools [--events N] [--dir DIR]
           interlink-bench years [--dossiers N] [--new N] [--postgres] [--output FILE] [--history-only PATH]
                                 [--history-from PATH]
           interlink-bench reliability [--quick] [--outage-seconds S] [--only NAME,…]
           interlink-bench masking [--dossiers N] [--rounds R] [--output FILE]

      sync    The daemon end to end from an empty journal against interlink-sim with N generated
              dossiers (default 10000), and the raw request rate of the project's HTTP client against
              a second simulator with the same concurrency and no journal; prints both rates, their
              ratio, step latency p50/p99, peak RSS and CPU seconds, and writes them as JSON.
              --latency-ms adds that much to every simulated request and prints the Little's law bound.
      raw     Only the raw side of sync: the HTTP client against a fresh simulator, R rounds (default 3),
              with the CPU microseconds each side spent per request.
      nodes   1, 2 and 3 daemons (or --nodes) on one PostgreSQL (run it under .ci/postgres-cluster, as
              make bench VARIANT=postgres does), each from an empty journal, timed until every dossier (default
              3000) is settled and written back. With --latency-ms, each beside the Little's law bound
              its daemons' concurrency allows; without, beside one SQLite daemon timed the same way.
      backlog The daemon alone at 10000 dossiers and at N (default 100000), each from an empty
              journal: rates, peak RSS and CPU at both sizes, to show memory does not grow with N.
      reliability  Kill storm (100 SIGKILLs during a 2,000-dossier sync), lost responses (effects
              applied, then the connection reset, at least 1,000 times), an agency outage (120 s, or
              --outage-seconds), the fault mix at 1,500 dossiers, the bad-input corpus from the register
              and the agencies, and TLS through stunnel4; then, on one PostgreSQL (run it under
              .ci/postgres-cluster, as make reliability does): three nodes with the fault mix at 3,000
              dossiers, 30 SIGKILLs among three nodes, a node paused past its instance timeout, and a
              PostgreSQL restart. Prints figures and exits 1 when a guarantee breaks. --quick runs
              smaller versions; --only picks scenarios: kill-storm, lost-responses, outage, fault-mix,
              bad-input, tls, three-nodes, node-kill-storm, paused-node, postgres-restart.
      masking The daemon's per-dossier work in Swift without journal or network, on N generated
              dossiers (default 10000): parsing their JSON, collecting their personal values, masking
              event messages and an agency's answer; microseconds per dossier, median of R rounds (5).
      tools   Builds a journal of N events (default 1000000) shaped like a real one, then times
              interlinkctl status, show, log --dossier, log --level and dossiers on it.
      years   Syncs --new dossiers (default 10000) on an empty journal, then on one holding N past
              dossiers (default 1000000, ten events each, every outcome, the older ones purged) built
              through the journal API; compares the rates, CPU per dossier and peak RSS, times
              interlinkctl status, show, log, dossiers, overdue and review (median of 7) and audit
              verify on the big journal, and its bytes per dossier before and after a purge.
              --postgres uses a PostgreSQL journal (run it under .ci/postgres-cluster). --history-only
              builds the history into a new SQLite journal at PATH and stops, to profile the tools on it;
              --history-from syncs on a copy of such a journal instead of building one (N is read from it).

    Examples:
      interlink-bench sync --dossiers 5000
      interlink-bench backlog --dossiers 100000 --output bench-results/backlog.json
      interlink-bench reliability --quick --only kill-storm,lost-responses
      interlink-bench tools --events 1000000
    """

let arguments = Array(CommandLine.arguments.dropFirst())
let options: CommandLineOptions
do {
    options = try CommandLineOptions(arguments, flags: ["help", "quick", "postgres"],
                                     options: ["events", "dir", "dossiers", "new", "latency-ms", "nodes", "output", "outage-seconds", "only", "rounds", "history-only", "history-from"])
} catch {
    FileHandle.standardError.write(Data("interlink-bench: \(error)\n".utf8))
    exit(64)
}
guard let command = options.positional.first, !options.has("help") else {
    print(help)
    exit(options.has("help") ? 0 : 64)
}
let directory = options.value("dir") ?? NSTemporaryDirectory()
let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
switch command {
case "sync":
    var sync = SyncBenchmark.Options()
    sync.dossiers = Int(options.value("dossiers") ?? "10000") ?? 10_000
    sync.latencyMs = Int(options.value("latency-ms") ?? "0") ?? 0
    sync.output = options.value("output")
    try await SyncBenchmark.run(sync)
case "raw":
    try await RawBenchmark.run(dossiers: Int(options.value("dossiers") ?? "10000") ?? 10_000, rounds: Int(options.value("rounds") ?? "3") ?? 3)
case "nodes":
    let counts = (options.value("nodes") ?? "1,2,3").split(separator: ",").compactMap { Int($0) }.filter { (1...8).contains($0) }
    try await NodesBenchmark.run(dossiers: Int(options.value("dossiers") ?? "3000") ?? 3_000, latencyMs: Int(options.value("latency-ms") ?? "0") ?? 0,
                                 nodeCounts: counts.isEmpty ? [1, 2, 3] : counts, output: options.value("output"))
case "backlog":
    let size = Int(options.value("dossiers") ?? "100000") ?? 100_000
    try await BacklogBenchmark.run(sizes: size > 10_000 ? [10_000, size] : [size], output: options.value("output"))
case "reliability":
    let quick = options.has("quick")
    let outageSeconds = Int(options.value("outage-seconds") ?? (quick ? "10" : "120")) ?? 120
    let scenarios: [(String, () async throws -> ReliabilityScenarios.Verdict)] = [
        ("kill-storm", { try await ReliabilityScenarios.killStorm(dossiers: quick ? 300 : 2_000, kills: quick ? 10 : 100) }),
        ("lost-responses", { try await ReliabilityScenarios.lostResponses(dossiers: quick ? 1_000 : 1_500, rate: 0.4) }),
        ("outage", { try await ReliabilityScenarios.outage(dossiers: quick ? 1_000 : 3_000, outageSeconds: outageSeconds) }),
        ("fault-mix", { try await ReliabilityScenarios.faultMix(dossiers: quick ? 300 : 1_500) }),
        ("bad-input", { try await ReliabilityScenarios.badInput(dossiers: quick ? 200 : 1_000, copies: quick ? 2 : 10) }),
        ("tls", { try await ReliabilityScenarios.tls() }),
        ("three-nodes", { try await ReliabilityScenarios.threeNodes(dossiers: quick ? 300 : 3_000) }),
        ("node-kill-storm", { try await ReliabilityScenarios.nodeKillStorm(dossiers: quick ? 500 : 3_000, kills: quick ? 5 : 30) }),
        ("paused-node", { try await ReliabilityScenarios.pausedNode(dossiers: quick ? 200 : 1_000) }),
        ("postgres-restart", { try await ReliabilityScenarios.postgresRestart(dossiers: quick ? 500 : 2_000) }),
    ]
    let only = options.value("only").map { Set($0.split(separator: ",").map(String.init)) }
    var verdicts: [ReliabilityScenarios.Verdict] = []
    for (name, scenario) in scenarios where only?.contains(name) ?? true {
        let verdict = try await scenario()
        verdict.print()
        verdicts.append(verdict)
    }
    exit(verdicts.allSatisfy { $0.failures.isEmpty } ? 0 : 1)
case "masking":
    try MaskingBenchmark.run(dossiers: Int(options.value("dossiers") ?? "10000") ?? 10_000, rounds: Int(options.value("rounds") ?? "5") ?? 5,
                             output: options.value("output"))
case "tools":
    let events = Int(options.value("events") ?? "1000000") ?? 1_000_000
    try await ToolsBenchmark.run(events: events, directory: directory, interlinkctl: binaries + "/interlinkctl")
case "years":
    var years = YearsBenchmark.Options()
    years.history = Int(options.value("dossiers") ?? "1000000") ?? 1_000_000
    years.newDossiers = Int(options.value("new") ?? "10000") ?? 10_000
    years.postgres = options.has("postgres")
    years.output = options.value("output")
    years.historyFrom = options.value("history-from")
    if let path = options.value("history-only") {
        try await YearsBenchmark.buildHistory(dossiers: years.history, at: path)
        exit(0)
    }
    try await YearsBenchmark.run(years, interlinkctl: binaries + "/interlinkctl")
default:
    print(help)
    exit(64)
}
