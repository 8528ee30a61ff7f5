import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `make bench`: the daemon end to end against the simulators, and the raw request rate of
/// the project's own HTTP client against the same kind of simulators with the same
/// concurrency and no journal. Prints both, their ratio, latencies, peak RSS and CPU.
enum SyncBenchmark {
    struct Options {
        var dossiers = 10_000
        var latencyMs = 0
        var output: String?
    }

    static func run(_ options: Options) async throws {
        let directory = try TemporaryDirectory()
        var simArguments = ["--no-fixtures", "--dossiers", String(options.dossiers), "--seed", "7", "--generated-from", "now"]
        if options.latencyMs > 0 {
            for service in SimulatedWorld.services { simArguments += ["--fault", "\(service).latencyMs=\(options.latencyMs)"] }
        }
        print("interlink-bench sync: \(options.dossiers) generated dossiers (50% birth, 25% death, 25% land; ~10% bad cases)"
              + (options.latencyMs > 0 ? ", \(options.latencyMs) ms added to every request" : ""))
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; release build; SQLite WAL, synchronous=FULL")

        let rawSim = try await SimulatorProcess(arguments: simArguments, in: directory)
        let daemonSim = try await SimulatorProcess(arguments: simArguments, in: directory)
        let daemon = try DaemonHarness(simulator: daemonSim, directory: directory) { config in
            config.set(["log", "level"], "warning")
        }
        let config = try InterlinkConfig.load(path: daemon.configPath, environment: [:])

        let rawBefore = try await RawLoad.run(against: rawSim, config: config, dossiers: options.dossiers, seed: 7)

        let run = try await DaemonRun.measure(daemon, simulator: daemonSim, dossiers: options.dossiers)
        await daemonSim.stop()
        await rawSim.stop()
        // The raw rate swings with whatever else shares the machine: measure it again after the
        // daemon, on a fresh simulator, and compare against the faster run (the conservative ratio).
        let secondSim = try await SimulatorProcess(arguments: simArguments, in: directory)
        let rawAfter = try await RawLoad.run(against: secondSim, config: config, dossiers: options.dossiers, seed: 7)
        await secondSim.stop()
        // The simulator's cost is the faster run's too, so the headroom compares like with like.
        let raw = rawBefore.requestsPerSecond >= rawAfter.requestsPerSecond ? rawBefore : rawAfter
        let (simCPU, simCapacity) = (raw.simulatorCPUSeconds, raw.simulatorRequestsPerCPUSecond)
        print("raw HTTP client runs (requests/s): \(format(rawBefore.requestsPerSecond)) before, \(format(rawAfter.requestsPerSecond)) after; the faster is used")
        let ratio = run.requestsPerSecond / raw.requestsPerSecond

        let perService = run.stats["requests"]?.objectValue?.compactMapValues(\.intValue) ?? [:]
        let bound = littleBound(config: config, latencyMs: options.latencyMs, requests: perService)
        print("")
        print("                                  end to end      raw HTTP client")
        print("requests                          \(pad(run.requests, 10))      \(pad(raw.requests, 10))")
        print("seconds                           \(pad(format(run.seconds), 10))      \(pad(format(raw.seconds), 10))")
        print("requests/s                        \(pad(format(run.requestsPerSecond), 10))      \(pad(format(raw.requestsPerSecond), 10))")
        print("dossiers/s                        \(pad(format(run.dossiersPerSecond), 10))")
        print("ratio (end to end / raw)          \(pad(format(ratio, digits: 2), 10))      target ≥ 0.80 (issue 18)")
        print("client CPU µs per raw request     \(pad(format(raw.perRequest(raw.clientCPUSeconds)), 10))      the project's HTTP client, rendering the payloads included")
        print("simulator CPU during the raw run  \(pad(format(simCPU), 10))      seconds; it serves \(format(simCapacity)) requests per CPU-second, "
              + "\(format(simCapacity / raw.requestsPerSecond, digits: 2))× the raw client's rate (headroom)")
        if let bound { print("Little's law bound (requests/s)   \(pad(format(bound), 10))      per endpoint concurrency / latency, over this mix") }
        print("step latency p50 / p99 (ms)       \(format(run.latencies.p50)) / \(format(run.latencies.p99))   from dossier seen to step completed")
        print("step service p50 / p99 (ms)       \(format(run.serviceTimes.p50)) / \(format(run.serviceTimes.p99))   from first attempt to step completed")
        print("peak RSS (MB)                     \(pad(format(run.peakRSSMB), 10))      daemon, /proc VmHWM")
        print("peak anonymous RSS (MB)           \(pad(format(run.peakAnonMB), 10))      daemon, /proc RssAnon: its heap and stacks, not the shared libraries")
        print("CPU seconds                       \(pad(format(run.cpuSeconds), 10))      daemon user + system, /proc stat")
        print("CPU ms per dossier                \(pad(format(run.cpuMsPerDossier, digits: 2), 10))      target ≤ \(DaemonRun.cpuMsPerDossierTarget)")
        print("effects repeated                  \(pad(run.stats["repeatedEffects"]?.intValue ?? -1, 10))      must be 0")
        let recordReads = Double(run.stats["recordReads"]?.intValue ?? 0) / Double(max(1, options.dossiers))
        print("register record reads per dossier \(pad(format(recordReads, digits: 2), 10))      recovery from the register (1 on a backlog older than the journal, 0 after)")

        let result: JSONValue = [
            "dossiers": .number(Double(options.dossiers)), "latencyMs": .number(Double(options.latencyMs)),
            "endToEnd": ["requests": .number(Double(run.requests)), "seconds": .number(run.seconds), "requestsPerSecond": .number(run.requestsPerSecond),
                         "dossiersPerSecond": .number(run.dossiersPerSecond), "stepLatencyP50Ms": .number(run.latencies.p50),
                         "stepLatencyP99Ms": .number(run.latencies.p99), "stepServiceP50Ms": .number(run.serviceTimes.p50),
                         "stepServiceP99Ms": .number(run.serviceTimes.p99), "peakRssMB": .number(run.peakRSSMB), "peakAnonMB": .number(run.peakAnonMB), "cpuSeconds": .number(run.cpuSeconds),
                         "cpuMsPerDossier": .number(run.cpuMsPerDossier)],
            "raw": ["requests": .number(Double(raw.requests)), "seconds": .number(raw.seconds), "requestsPerSecond": .number(raw.requestsPerSecond),
                    "requestsPerSecondRuns": [.number(rawBefore.requestsPerSecond), .number(rawAfter.requestsPerSecond)]],
            "simulator": ["cpuSecondsDuringRaw": .number(simCPU), "requestsPerCPUSecond": .number(simCapacity),
                          "headroom": .number(simCapacity / raw.requestsPerSecond),
                          "clientCPUMicrosecondsPerRequest": .number(raw.perRequest(raw.clientCPUSeconds))],
            "ratio": .number(ratio), "littleBound": bound.map(JSONValue.number) ?? .null, "registerRecordReadsPerDossier": .number(recordReads),
            "at": .string(Timestamp.now().description),
        ]
        let path = options.output ?? "bench-results/sync-\(options.dossiers)-\(options.latencyMs)ms.json"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONWriter.string(result).write(toFile: path, atomically: true, encoding: .utf8)
        print("results: \(path)")
    }

    /// With every request taking `latency`, an endpoint serves at most concurrency/latency requests
    /// per second; the slowest endpoint for its share of the mix sets the least possible run time.
    static func littleBound(config: InterlinkConfig, latencyMs: Int, requests: [String: Int]) -> Double? {
        guard latencyMs > 0 else { return nil }
        let seconds = Double(latencyMs) / 1_000
        var concurrency = ["register": config.register.endpoint.maxConcurrent]
        for (name, agency) in config.agencies { concurrency[name] = agency.endpoint.maxConcurrent }
        let leastTime = requests.map { service, count in Double(count) / (Double(concurrency[service] ?? 1) / seconds) }.max() ?? 0
        return leastTime > 0 ? Double(requests.values.reduce(0, +)) / leastTime : nil
    }

    static func format(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
    static func pad(_ value: Int, _ width: Int) -> String { pad(String(value), width) }
    static func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
}
