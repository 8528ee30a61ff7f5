import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// A register that refuses our credentials is a configuration error an operator must fix:
/// one error and one event, no more requests, `status` says so, and a reload with the
/// fixed credential resumes the sync.
@Suite("End to end: a register that refuses our credentials")
struct RegisterCredentialsTests {
    @Test func pollingPausesUntilAReloadBringsTheRightCredential() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "3"], in: directory)
        let tokenFile = try directory.write("register.token", "not-the-register-token\n")
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["register", "auth"], ["type": "bearer", "tokenFile": .string(tokenFile)])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        #expect(await process.waitForLog("polling is paused"))
        let refused = try await sim.stats()["unauthorized"]?["register"]?.intValue ?? -1
        // Two more heartbeats: seconds in which an unpaused poller would have retried many times.
        let beat = try #require(try await journal.instances().first?.heartbeatAt)
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            let now = (try? await journal.instances().first?.heartbeatAt) ?? nil
            return now.map { $0.millisecondsSinceEpoch - beat.millisecondsSinceEpoch >= 3_000 } == true
        })
        let after = try await sim.stats()["unauthorized"]?["register"]?.intValue
        #expect(refused == 1 && after == 1, "one request refused, none after: \(refused) then \(after ?? -1)")
        let events = try await journal.events(EventQuery(minimumLevel: .error))
        #expect(events.filter { $0.event.kind == .registerPoll }.count == 1)
        #expect(process.stderr.split(separator: "\n").filter { $0.contains("the register refused our credentials") }.count == 1, "one error line")
        let status = try runProcess(Executables.path("interlinkctl"), ["status", "--journal", daemon.journalPath])
        #expect(status.status == 1 && status.stdout.contains("register polling is paused"), "\(status.stdout)")

        let right = try String(contentsOfFile: Executables.packageRoot + "/Config/demo-credentials/register.token", encoding: .utf8)
        try directory.write("register.token", right)
        process.signal(SIGHUP)
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            ((try? await journal.dossierCounts()) ?? [:]).values.reduce(0, +) >= 3
        })
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    /// Write-backs refused for our credentials are neither retried for ever nor lost: they
    /// wait, pending and uncounted, for the reload that fixes the credential.
    @Test func writeBacksWaitForTheReloadThatFixesTheCredential() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--fault", "land.decisionDelayMs=600000"], in: directory)
        let land = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/dossiers/12-land-ok-tan-thanh.json")))["dossier"]!
        let code = try #require(land["code"]?.stringValue)
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": land]]])
        let right = try String(contentsOfFile: Executables.packageRoot + "/Config/demo-credentials/register.token", encoding: .utf8)
        let tokenFile = try directory.write("register.token", right)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["register", "auth"], ["type": "bearer", "tokenFile": .string(tokenFile)])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            ((try? await journal.transfers(TransferQuery(states: [.accepted], dossierCode: code))) ?? []).contains { $0.step == "land-registration" }
        })
        try directory.write("register.token", "revoked\n")
        process.signal(SIGHUP)
        #expect(await process.waitForLog("polling is paused"))
        _ = try await sim.control("POST", "/_sim/decide", body: ["agency": "land"])
        #expect(await process.waitForLog("write-backs are paused"))
        let pending = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: code, target: nil, limit: 1).first)
        #expect(pending.state == .pending && pending.attempts == 0, "not dead, no attempt counted")
        let events = try await journal.events(EventQuery(dossierCode: nil, minimumLevel: .error))
        #expect(events.filter { $0.event.message.hasPrefix("write-backs paused") }.count == 1)

        try directory.write("register.token", right)
        process.signal(SIGHUP)
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await journal.writeBacks(states: [.sent], dueBy: nil, dossierCode: code, target: nil, limit: 1).first) != nil
        })
        #expect(try await sim.interconnections()[code]?["outcome"] == "completed")
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }
}
