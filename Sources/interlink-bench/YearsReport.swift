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

        /// The big journal's rate over the mean of the empty runs before and after it.
        static func ratio(empty: [DaemonRun], full: DaemonRun) -> Double {
            full.dossiersPerSecond / (empty.map(\.dossiersPerSecond).reduce(0, +) / Double(max(1, empty.count)))
        }

        func print(empty: [DaemonRun], full: DaemonRun, options: Options) {
            func row(_ title: String, _ value: (DaemonRun) -> Double, digits: Int = 1, _ note: String = "") {
                let cells = [empty[0], full] + empty.dropFirst()
                Swift.print(title.padding(toLength: 34, withPad: " ", startingAt: 0) + cells.map { cell(value($0), digits: digits) }.joined(separator: "   ") + note)
            }
            Swift.print("")
            Swift.print("                                  empty journal   \(SyncBenchmark.pad(String(options.history), 13))   empty again")
            Swift.print("                                                  past dossiers")
            row("dossiers/s", \.dossiersPerSecond)
            row("requests/s", \.requestsPerSecond)
            row("CPU ms per dossier", \.cpuMsPerDossier, digits: 2, "   target ≤ \(DaemonRun.cpuMsPerDossierTarget)")
            row("peak RSS (MB)", \.peakRSSMB, "   flat")
            Swift.print("rate on the big journal / empty   \(SyncBenchmark.pad(SyncBenchmark.format(Self.ratio(empty: empty, full: full), digits: 2), 13))"
                        + "   target ≥ 0.80 (over the mean of the two empty runs)")
            Swift.print("")
            ToolsBenchmark.printCommandTable(commands)
            let slowest = commands.map { $0.sorted[$0.sorted.count / 2] }.max() ?? 0
            Swift.print("slowest median \(SyncBenchmark.format(slowest)) ms (target < \(Int(YearsBenchmark.commandTargetMs)) ms each)")
            Swift.print("")
            Swift.print("audit verify                      \(SyncBenchmark.format(verifySecondsPerMillionEvents, digits: 2)) s per million events")
            Swift.print("journal bytes per dossier         \(perDossierBefore(options)) before the purge, \(perDossierAfter(options)) after "
                        + "(the purge, with its rewrite, took \(SyncBenchmark.format(purgeSeconds)) s)")
        }

        func write(empty: [DaemonRun], full: DaemonRun, options: Options) throws {
            func run(_ run: DaemonRun) -> JSONValue {
                ["dossiersPerSecond": .number(run.dossiersPerSecond), "requestsPerSecond": .number(run.requestsPerSecond), "seconds": .number(run.seconds),
                 "cpuMsPerDossier": .number(run.cpuMsPerDossier), "peakRssMB": .number(run.peakRSSMB)]
            }
            let result: JSONValue = [
                "backend": .string(options.postgres ? "postgres" : "sqlite"), "history": .number(Double(options.history)),
                "newDossiers": .number(Double(options.newDossiers)), "empty": run(empty[0]), "emptyAgain": run(empty[empty.count - 1]),
                "full": run(full), "ratio": .number(Self.ratio(empty: empty, full: full)),
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
