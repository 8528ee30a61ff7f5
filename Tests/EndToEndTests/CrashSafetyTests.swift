import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: crash safety", .serialized)
struct CrashSafetyTests {
    /// kill -9 at 20 random moments of a 1,000-dossier sync, then run to idle: nothing lost,
    /// no effect twice, every write-back present, the journal intact.
    @Test(arguments: SyncTests.dialects) func survivesTwentyKillsDuringASync(dialect: String) async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "1000", "--seed", "11", "--decision-delay-ms", "50", "--dialect", dialect], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["register", "pageSize"], 100)
        }
        var random = SeededGenerator(seed: 20)
        for round in 0..<20 {
            let process = try daemon.start(name: "kill-\(round)")
            // Random moments, from start-up (journal open, first page) to deep into the sync.
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...500, using: &random)))
            process.signal(SIGKILL)
            #expect(await process.waitForExit(timeout: .seconds(10)) == -SIGKILL)
        }
        let final = try await daemon.runUntilIdle(timeout: .seconds(180), name: "final")
        #expect(final.exitStatus == 0, "\(final.stderr.suffix(2_000))")

        let stats = try await sim.stats()
        let registered = stats["dossiers"]?.intValue ?? 0
        #expect(registered == 1_015)
        #expect(stats["repeatedEffects"] == 0)
        let journal = try daemon.journal()
        let outcomes = try await journal.dossierCounts()
        #expect(outcomes.values.reduce(0, +) == registered, "dossiers lost: \(outcomes)")
        #expect(outcomes[.inProgress, default: 0] == 0)
        let records = try await sim.interconnections()
        #expect(records.count == registered, "every dossier's write-back is in the register")

        // Every completed dossier has exactly one effect per step of its route.
        let effects = try await sim.effects().filter { !["register", "portal"].contains($0["agency"]?.stringValue ?? "") }
        let perDossier = Dictionary(grouping: effects, by: { $0["dossierCode"]?.stringValue ?? "" })
        let routeSteps = ["1.001193": 2, "1.011537": 2, "1.004227": 2]
        for (code, record) in records where record["outcome"] == "completed" {
            let dossier = try await journal.latestDossier(code: code)
            #expect(perDossier[code]?.count == routeSteps[dossier?.snapshot.procedureCode ?? ""], "\(code)")
        }
        if dialect == "portal" { try await SyncTests.expectProgressReports(sim: sim, stats: stats, records: records) }
        let sending = try await journal.transfers(TransferQuery(states: [.sending]))
        #expect(sending.isEmpty)
        await journal.close()
        let check = try SQLiteConnection(path: daemon.journalPath).prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.string(0) == "ok")
        await sim.stop()
    }
}
