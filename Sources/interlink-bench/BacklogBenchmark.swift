import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `make bench VARIANT=backlog`: the daemon from an empty journal at 10,000 dossiers and at a
/// large backlog (100,000 by default), each on a fresh simulator, to show that the daemon's
/// memory does not grow with the backlog: everything waiting lives in the journal, not in RAM.
enum BacklogBenchmark {
    /// Issue 18's target for the whole peak RSS, shared libraries included.
    static let rssTargetMB = 32.0

    static func run(sizes: [Int], output: String?) async throws {
        print("interlink-bench backlog: the daemon from an empty journal at \(sizes.map(String.init).joined(separator: " and ")) dossiers")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; release build; SQLite WAL, synchronous=FULL")
        var runs: [DaemonRun] = []
        for size in sizes {
            let directory = try TemporaryDirectory()
            let simulator = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(size), "--seed", "7", "--generated-from", "now"], in: directory)
            let daemon = try DaemonHarness(simulator: simulator, directory: directory) { config in
                config.set(["log", "level"], "warning")
            }
            let run = try await DaemonRun.measure(daemon, simulator: simulator, dossiers: size)
            await simulator.stop()
            print("  \(size) dossiers: \(SyncBenchmark.format(run.seconds)) s, peak RSS \(SyncBenchmark.format(run.peakRSSMB)) MB "
                  + "(anonymous \(SyncBenchmark.format(run.peakAnonMB)) MB)")
            runs.append(run)
        }
        print("")
        print("dossiers      seconds   dossiers/s   requests/s   peak RSS (MB)   anonymous (MB)   CPU s   CPU ms/dossier")
        for run in runs {
            print(SyncBenchmark.pad(run.dossiers, 8) + SyncBenchmark.pad(SyncBenchmark.format(run.seconds), 13)
                  + SyncBenchmark.pad(SyncBenchmark.format(run.dossiersPerSecond), 13) + SyncBenchmark.pad(SyncBenchmark.format(run.requestsPerSecond), 13)
                  + SyncBenchmark.pad(SyncBenchmark.format(run.peakRSSMB), 16) + SyncBenchmark.pad(SyncBenchmark.format(run.peakAnonMB), 17)
                  + SyncBenchmark.pad(SyncBenchmark.format(run.cpuSeconds), 8)
                  + SyncBenchmark.pad(SyncBenchmark.format(run.cpuMsPerDossier, digits: 2), 17))
        }
        let peak = runs.map(\.peakRSSMB).max() ?? 0
        let growth = (runs.last?.peakRSSMB ?? 0) - (runs.first?.peakRSSMB ?? 0)
        print("peak RSS \(SyncBenchmark.format(peak)) MB (target ≤ \(Int(rssTargetMB)) MB, shared libraries included); "
              + "\(SyncBenchmark.format(growth)) MB more at \(runs.last?.dossiers ?? 0) than at \(runs.first?.dossiers ?? 0) dossiers")

        let result: JSONValue = [
            "runs": .array(runs.map { run in
                ["dossiers": .number(Double(run.dossiers)), "seconds": .number(run.seconds), "dossiersPerSecond": .number(run.dossiersPerSecond),
                 "requestsPerSecond": .number(run.requestsPerSecond), "peakRssMB": .number(run.peakRSSMB), "peakAnonMB": .number(run.peakAnonMB), "cpuSeconds": .number(run.cpuSeconds),
                 "cpuMsPerDossier": .number(run.cpuMsPerDossier)]
            }),
            "rssTargetMB": .number(rssTargetMB), "at": .string(Timestamp.now().description),
        ]
        let path = output ?? "bench-results/backlog-\(sizes.map(String.init).joined(separator: "-")).json"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONWriter.string(result).write(toFile: path, atomically: true, encoding: .utf8)
        print("results: \(path)")
    }
}
