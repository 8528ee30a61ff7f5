import Foundation
import Interlink

/// Builds a journal of a given number of events, shaped like a real one (dossiers with
/// transfers and their events), then times the operator commands on it.
enum ToolsBenchmark {
    static func run(events: Int, directory: String, interlinkctl: String) async throws {
        let path = directory + "/tools-journal.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        let journal = try JournalFactory.open(.sqlite(path: path))
        let eventsPerDossier = 20
        let dossiers = max(1, events / eventsPerDossier)
        let clock = ContinuousClock()
        let started = clock.now
        var batch = JournalBatch()
        let agencies = ["civil-registry", "insurance", "land"]
        for index in 0..<dossiers {
            let code = "B\(index)"
            let at = Timestamp(millisecondsSinceEpoch: 1_763_600_000_000 + Int64(index) * 50)
            batch.dossiers.append(DossierSnapshot(code: code, version: 1, procedureCode: "1.001193", updatedAt: at.description,
                                                  payload: ["code": .string(code), "form": ["child": ["fullName": "Trần Minh Khang"]]]))
            for (offset, step) in ["birth", "health-card"].enumerated() {
                batch.newTransfers.append(NewTransfer(dossierCode: code, dossierVersion: 1, step: step, agency: agencies[(index + offset) % 3],
                                                      operation: "/x", state: index % 97 == 0 ? .dead : .completed,
                                                      idempotencyKey: IdempotencyKeys.transfer(dossierCode: code, version: 1, step: step)))
            }
            for event in 0..<eventsPerDossier {
                batch.events.append(NewEvent(at: at.adding(milliseconds: Int64(event)), level: event % 10 == 0 ? .warning : .info,
                                             kind: .attempt, dossierCode: code, dossierVersion: 1, step: event % 2 == 0 ? "birth" : "health-card",
                                             agency: agencies[event % 3], message: "attempt \(event) answered 200",
                                             detail: ["httpStatus": 200, "durationMs": .number(Double(event))]))
            }
            if batch.events.count >= 20_000 || index == dossiers - 1 {
                try await journal.apply(batch)
                batch = JournalBatch()
            }
        }
        var meta = JournalBatch()
        meta.instances = [InstanceBeat(id: "bench-node", host: "bench", pid: 1, startedAt: .now(), heartbeatAt: .now(), status: "benchmark")]
        try await journal.apply(meta)
        await journal.close()
        let built = clock.now - started
        print("journal: \(dossiers) dossiers, \(dossiers * 2) transfers, \(dossiers * eventsPerDossier) events, built in \(seconds(built)) s")
        let target = "B\(dossiers / 2)"
        let results = try OperatorTimings(interlinkctl: interlinkctl, journalPath: path).timings([
            ("status", ["status"]), ("show CODE", ["show", target]), ("log --dossier CODE", ["log", "--dossier", target]),
            ("log --level warning --limit 100", ["log", "--level", "warning", "--limit", "100"]), ("dossiers --limit 100", ["dossiers", "--limit", "100"]),
        ])
        print("")
        printCommandTable(results)
    }

    /// Median and slowest of each command's runs, under the runs' description.
    static func printCommandTable(_ results: [(name: String, sorted: [Double])]) {
        print("interlinkctl command                 median ms   max ms   (7 runs each, whole process: start, open, query, print)")
        for (name, timings) in results {
            print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + " " + format(timings[timings.count / 2]).leftPadded(9)
                  + "  " + format(timings.last!).leftPadded(7))
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    static func seconds(_ duration: Duration) -> String { format(milliseconds(duration) / 1_000) }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
