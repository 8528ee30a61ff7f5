import Foundation
import Interlink

extension YearsBenchmark {
    /// What the years variant measured on the big journal, beside the two syncs.
    struct Report {
        var bytesBefore: Int64 = 0
        var bytesAfter: Int64 = 0
        var commands: [(name: String, sorted: [Double])] = []
        var verifySecondsPerMillionEvents = 0.0
        var purgeSeconds = 0.0

        func print(empty: DaemonRun, full: DaemonRun, options: Options) {
            let ratio = full.dossiersPerSecond / empty.dossiersPerSecond
            Swift.print("")
            Swift.print("                                  empty journal   \(options.history) past dossiers")
            Swift.print("dossiers/s                        \(cell(empty.dossiersPerSecond))   \(cell(full.dossiersPerSecond))")
            Swift.print("requests/s                        \(cell(empty.requestsPerSecond))   \(cell(full.requestsPerSecond))")
            Swift.print("CPU ms per dossier                \(cell(empty.cpuMsPerDossier, digits: 2))   \(cell(full.cpuMsPerDossier, digits: 2))   "
                        + "target ≤ \(DaemonRun.cpuMsPerDossierTarget)")
            Swift.print("peak RSS (MB)                     \(cell(empty.peakRSSMB))   \(cell(full.peakRSSMB))   flat")
            Swift.print("rate on the big journal / empty   \(SyncBenchmark.pad(SyncBenchmark.format(ratio, digits: 2), 13))   target ≥ 0.80")
            Swift.print("")
            ToolsBenchmark.printCommandTable(commands)
            let slowest = commands.map { $0.sorted[$0.sorted.count / 2] }.max() ?? 0
            Swift.print("slowest median \(SyncBenchmark.format(slowest)) ms (target < \(Int(YearsBenchmark.commandTargetMs)) ms each)")
            Swift.print("")
            Swift.print("audit verify                      \(SyncBenchmark.format(verifySecondsPerMillionEvents, digits: 2)) s per million events")
            Swift.print("journal bytes per dossier         \(perDossierBefore(options)) before the purge, \(perDossierAfter(options)) after "
                        + "(the purge, with its rewrite, took \(SyncBenchmark.format(purgeSeconds)) s)")
        }

        func write(empty: DaemonRun, full: DaemonRun, options: Options) throws {
            func run(_ run: DaemonRun) -> JSONValue {
                ["dossiersPerSecond": .number(run.dossiersPerSecond), "requestsPerSecond": .number(run.requestsPerSecond), "seconds": .number(run.seconds),
                 "cpuMsPerDossier": .number(run.cpuMsPerDossier), "peakRssMB": .number(run.peakRSSMB)]
            }
            let result: JSONValue = [
                "backend": .string(options.postgres ? "postgres" : "sqlite"), "history": .number(Double(options.history)),
                "newDossiers": .number(Double(options.newDossiers)), "empty": run(empty), "full": run(full),
                "ratio": .number(full.dossiersPerSecond / empty.dossiersPerSecond),
                "commandsMs": .object(Dictionary(uniqueKeysWithValues: commands.map { ($0.name, JSONValue.number($0.sorted[$0.sorted.count / 2])) })),
                "auditVerifySecondsPerMillionEvents": .number(verifySecondsPerMillionEvents),
                "bytesPerDossierBeforePurge": .number(Double(bytesBefore) / Double(max(1, options.history))),
                "bytesPerDossierAfterPurge": .number(Double(bytesAfter) / Double(max(1, options.history + options.newDossiers))),
                "purgeSeconds": .number(purgeSeconds), "at": .string(Timestamp.now().description),
            ]
            let path = options.output ?? "bench-results/years-\(options.postgres ? "postgres" : "sqlite")-\(options.history).json"
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try JSONWriter.string(result).write(toFile: path, atomically: true, encoding: .utf8)
            Swift.print("results: \(path)")
        }

        private func perDossierBefore(_ options: Options) -> String {
            String(bytesBefore / Int64(max(1, options.history)))
        }

        private func perDossierAfter(_ options: Options) -> String {
            String(bytesAfter / Int64(max(1, options.history + options.newDossiers)))
        }

        private func cell(_ value: Double, digits: Int = 1) -> String { SyncBenchmark.pad(SyncBenchmark.format(value, digits: digits), 13) }
    }
}
