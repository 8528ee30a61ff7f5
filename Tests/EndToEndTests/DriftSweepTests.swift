import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Polling reads a look-back window behind its cursor; a dossier the register commits later
/// than that is found by the drift sweep, stored, planned and written back.
@Suite("End to end: the drift sweep", .serialized)
struct DriftSweepTests {
    @Test func aDossierCommittedAnHourLateIsSyncedByTheSweep() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let first = try DossierChangeTests.fixture("01-birth-ok-hoa-thanh.json")
        let late = try DossierChangeTests.fixture("08-death-ok-an-xuyen.json")
        let lateCode = late["code"]!.stringValue!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": first]]])
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["register", "sweep"], ["intervalSeconds": 2, "pageDelayMs": 0])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) { (try? await sim.interconnections())?[first["code"]!.stringValue!] != nil })
        // Committed with an updatedAt an hour behind the cursor: far outside the 120 s look-back.
        try await sim.setFaults(["register": ["lateCommitSkewMs": 3_600_000]])
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": late]]])
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) { (try? await sim.interconnections())?[lateCode] != nil },
                "the late dossier was synced and written back")
        let events = try await journal.events(EventQuery(dossierCode: lateCode, limit: 100))
        #expect(events.contains { $0.event.message.contains("found by the drift sweep") }, "found by the sweep, not by polling")
        #expect(try await sim.stats()["repeatedEffects"]?.intValue == 0)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    /// A record someone changed at the register is found by `interlinkctl sweep`, reported by
    /// --dry-run, and written back again under a fresh key without it.
    @Test func aRecordChangedAtTheRegisterIsFoundAndRewritten() async throws {
        let directory = try TemporaryDirectory()
        let (sim, birth) = try await DossierChangeTests.simulator(with: "01-birth-ok-hoa-thanh.json", in: directory)
        let code = birth["code"]!.stringValue!
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        // Someone overwrites the record at the register (another system, a clerk's tool).
        let token = try String(contentsOfFile: Executables.packageRoot + "/Config/demo-credentials/register.token", encoding: .utf8).trimmedWhitespace
        let http = try HTTPClient(maxConnections: 2)
        defer { http.shutdown() }
        let forged = try await http.send(HTTPRequest(method: "PUT", url: sim.urls["register"]! + "/dossiers/\(code)/interconnection",
                                                     headers: ["Authorization": "Bearer \(token)", "Idempotency-Key": "someone-else-1",
                                                               "Content-Type": "application/json"],
                                                     body: Array(#"{"dossierVersion":1,"outcome":"failed","steps":[]}"#.utf8)))
        #expect(forged.status == 200)

        let ctl = { (arguments: [String]) throws -> ProcessOutput in
            try runProcess(Executables.path("interlinkctl"), ["sweep", "--config", daemon.configPath] + arguments)
        }
        let dryRun = try ctl(["--dry-run"])
        #expect(dryRun.status == 1 && dryRun.stdout.contains("differs: \(code)") && dryRun.stdout.contains("outcome is failed"), "\(dryRun.stdout)\(dryRun.stderr)")
        let journal = try daemon.journal()
        #expect(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: code, target: nil, limit: 1).isEmpty, "a dry run changes nothing")
        let mend = try ctl([])
        #expect(mend.status == 1 && mend.stdout.contains("written back again"))
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        #expect(try await sim.interconnections()[code]?["outcome"]?.stringValue == "completed", "the register holds the truth again")
        #expect(try ctl([]).stdout.contains("The register and the journal agree."))
        await journal.close()
        await sim.stop()
    }
}
