import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

/// The daemon and the simulator as real processes, talking real HTTP on loopback.
@Suite("End to end: fixtures", .serialized)
struct SyncTests {
    static let fixtures = (try? FixtureDossier.load(directory: Executables.packageRoot + "/Fixtures/dossiers")) ?? []

    /// The simulator's two dialects: its contract, and the national portal's conventions onboarded by `Config/dialect-example.json`.
    static let dialects = ["contract", "portal"]

    @Test(arguments: dialects) func everyFixtureReachesItsExpectedOutcomeAndIsWrittenBack(dialect: String) async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--decision-delay-ms", "200", "--dialect", dialect], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0, "\(run.stderr.suffix(2_000))")
        #expect(run.stdout.contains("Dossiers by outcome"))

        let journal = try daemon.journal()
        let records = try await sim.interconnections()
        for fixture in Self.fixtures {
            let expected = fixture.expect["outcome"]?.stringValue
            let dossier = try await journal.latestDossier(code: fixture.code)
            #expect(dossier?.outcome.registerOutcome == expected, "\(fixture.code): \(fixture.expect["why"]?.stringValue ?? "")")
            let record = records[fixture.code]
            #expect(record?["outcome"]?.stringValue == expected, "\(fixture.code) write-back")
            #expect(record?["dossierVersion"] == 1)
        }
        // A completed birth group carries the child's new personal ID back to the register.
        let birth = records["H12.22-251120-0001"]?["steps"]?.arrayValue?.first { $0["step"] == "birth" }
        #expect(birth?["result"]?["personalId"]?.stringValue?.count == 12)
        #expect(birth?["status"] == "completed")
        // The rejection's reasons reach the clerk, with the field the agency pointed at.
        let rejected = records["H52.38-251120-0009"]?["reasons"]?.arrayValue?.first
        #expect(rejected?["pointer"] == (dialect == "portal" ? "/Tre/NgaySinh" : "/child/dateOfBirth"))
        // A discrepancy is written back as needs-review with its diff.
        #expect(records["H26.05-251120-0021"]?["discrepancies"]?[0]?["check"] == "card-holder-name")
        let stats = try await sim.stats()
        #expect(stats["repeatedEffects"] == 0)
        if dialect == "portal" { try await Self.expectProgressReports(sim: sim, stats: stats, records: records) }
        // Each write-back is sent, and verified, once: a query racing a settlement must not send it again.
        let verified = try await journal.events(EventQuery(limit: 10_000)).filter { $0.event.message.hasSuffix("stored by the register and verified") }
        #expect(verified.count == records.count)
        await journal.close()
        await sim.stop()
    }

    /// The national portal got every dossier once, then its progress, never out of order,
    /// the last report carrying the status code `Config/dialect-example.json` maps its outcome to.
    static func expectProgressReports(sim: SimulatorProcess, stats: JSONValue, records: [String: JSONValue]) async throws {
        let codes: [String: Int] = ["in-progress": 4, "completed": 10, "supplement-requested": 5, "needs-review": 3, "failed": 3]
        #expect(stats["portal"]?["outOfOrder"] == 0)
        #expect(stats["portal"]?["synced"]?.intValue == records.count)
        let effects = try await sim.effects().filter { $0["agency"] == "portal" }
        for (code, record) in records {
            let mine = effects.filter { $0["dossierCode"]?.stringValue == code }
            #expect(mine.filter { $0["operation"] == "dossier-sync" }.count == 1, "\(code): one dossier sync")
            #expect(mine.contains { $0["operation"] == "progress" }, "\(code): its progress reported")
            let expected = record["outcome"]?.stringValue.flatMap { codes[$0] }
            #expect(stats["portal"]?["lastStatus"]?[code]?.intValue == expected, "\(code): the last report is the outcome's code")
        }
    }

    @Test func noPersonalDataFromTheFixturesReachesTheLog() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["log", "level"], "debug")
        }
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0)
        let log = run.stderr
        #expect(log.contains("\"level\":\"debug\""))
        let canaries = FixtureDossier.personalDataCanaries
        #expect(canaries.count > 40)
        for canary in canaries { #expect(!log.contains(canary), "\(canary) leaked into the log") }
        await sim.stop()
    }
}
