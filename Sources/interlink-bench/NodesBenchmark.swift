import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `make bench VARIANT=postgres`: 1, 2 and 3 daemons on one PostgreSQL journal against the
/// simulator, each count from an empty journal. With added latency each is set beside the
/// Little's-law bound its nodes' per-agency concurrency allows; without, beside one daemon on
/// SQLite measured the same way on the same machine.
enum NodesBenchmark {
    /// One measured run: how long until every dossier was settled and written back.
    struct Run {
        let nodes: Int
        let seconds: Double
        let requests: Int
        let stats: JSONValue
        /// Every daemon's CPU time (user + system), the database server's not included.
        let cpuSeconds: Double
        var requestsPerSecond: Double { Double(requests) / seconds }
    }

    static func run(dossiers: Int, latencyMs: Int, nodeCounts: [Int] = [1, 2, 3], output: String?) async throws {
        var simArguments = ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "7", "--generated-from", "now"]
        for service in SimulatedWorld.services where latencyMs > 0 { simArguments += ["--fault", "\(service).latencyMs=\(latencyMs)"] }
        print("interlink-bench nodes: \(dossiers) generated dossiers" + (latencyMs > 0 ? ", \(latencyMs) ms added to every request" : "")
              + "; \(nodeCounts.map(String.init).joined(separator: ", ")) daemon(s) on one PostgreSQL" + (latencyMs > 0 ? "" : ", and one on SQLite"))
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; release build")
        var results: [JSONValue] = []
        let sqlite = latencyMs > 0 ? nil : try await measure(nodes: 1, postgres: false, simArguments: simArguments)
        if let sqlite { print("SQLite, 1 daemon: \(format(sqlite.requestsPerSecond)) requests/s in \(format(sqlite.seconds)) s") }
        print("")
        print("daemons   seconds   requests/s   " + (latencyMs > 0 ? "bound (req/s)   of bound   target ≥ 0.80" : "vs SQLite   target ≥ 0.50"))
        for nodes in nodeCounts {
            let run = try await measure(nodes: nodes, postgres: true, simArguments: simArguments)
            let perService = run.stats["requests"]?.objectValue?.compactMapValues(\.intValue) ?? [:]
            var row: [String: JSONValue] = ["nodes": .number(Double(nodes)), "seconds": .number(run.seconds),
                                            "requestsPerSecond": .number(run.requestsPerSecond),
                                            "repeatedEffects": run.stats["repeatedEffects"] ?? .null,
                                            "cpuMsPerDossier": .number(run.cpuSeconds * 1_000 / Double(dossiers))]
            var line = "\(pad(String(nodes), 7))   \(pad(format(run.seconds), 7))   \(pad(format(run.requestsPerSecond), 10))   "
            if latencyMs > 0, let bound = try bound(nodes: nodes, latencyMs: latencyMs, requests: perService) {
                line += "\(pad(format(bound), 13))   \(pad(format(run.requestsPerSecond / bound, digits: 2), 8))"
                row["littleBound"] = .number(bound)
            } else if let sqlite {
                line += "\(pad(format(run.requestsPerSecond / sqlite.requestsPerSecond, digits: 2), 9))"
                row["sqliteRequestsPerSecond"] = .number(sqlite.requestsPerSecond)
            }
            print(line + "   CPU \(format(run.cpuSeconds * 1_000 / Double(dossiers), digits: 2)) ms/dossier   effects repeated: \(run.stats["repeatedEffects"]?.intValue ?? -1)   requests: "
                  + perService.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            results.append(.object(row))
        }
        let path = output ?? "bench-results/nodes-\(dossiers)-\(latencyMs)ms.json"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONWriter.string(["dossiers": .number(Double(dossiers)), "latencyMs": .number(Double(latencyMs)), "runs": .array(results),
                               "at": .string(Timestamp.now().description)]).write(toFile: path, atomically: true, encoding: .utf8)
        print("results: \(path)")
    }

    /// Starts `nodes` daemons on a fresh journal and times them until everything is written back.
    static func measure(nodes: Int, postgres: Bool, simArguments: [String]) async throws -> Run {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: simArguments, in: directory)
        let journalSection = postgres ? try TestPostgres.fromEnvironment().freshJournal(in: directory) : nil
        defer { journalSection?.drop() }
        let daemon = try DaemonHarness(simulator: sim, directory: directory, postgres: journalSection) { config in
            config.set(["log", "level"], "warning")
        }
        let clock = ContinuousClock(), started = clock.now
        let processes = try (1...nodes).map { try daemon.start(name: "node-\($0)") }
        let journal = try daemon.journal()
        let settled = await sim.allSettled(in: journal, timeout: .seconds(3_600), workers: processes)
        let elapsed = clock.now - started
        await journal.close()
        let cpu = processes.compactMap { ProcessReading(pid: $0.pid)?.cpuSeconds }.reduce(0, +)
        for process in processes { process.signal(SIGTERM) }
        for process in processes { _ = await process.waitForExit(timeout: .seconds(60)) }
        guard settled else { throw HarnessError("\(nodes) daemon(s) did not settle everything within an hour") }
        let stats = try await sim.stats()
        await sim.stop()
        return Run(nodes: nodes, seconds: ReliabilityScenarios.seconds(elapsed),
                   requests: stats["requests"]?.objectValue?.values.compactMap(\.intValue).reduce(0, +) ?? 0, stats: stats, cpuSeconds: cpu)
    }

    /// Little's law for `nodes` daemons: each brings its own per-endpoint concurrency.
    static func bound(nodes: Int, latencyMs: Int, requests: [String: Int]) throws -> Double? {
        var config = try InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: ["CREDENTIALS_DIRECTORY": ""])
        config.register.endpoint.maxConcurrent *= nodes
        for name in config.agencies.keys { config.agencies[name]!.endpoint.maxConcurrent *= nodes }
        return SyncBenchmark.littleBound(config: config, latencyMs: latencyMs, requests: requests)
    }

    static func format(_ value: Double, digits: Int = 1) -> String { SyncBenchmark.format(value, digits: digits) }
    static func pad(_ text: String, _ width: Int) -> String { SyncBenchmark.pad(text, width) }
}
