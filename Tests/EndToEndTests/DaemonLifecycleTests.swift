import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: signals and systemd", .serialized)
struct DaemonLifecycleTests {
    @Test func sigtermWithRequestsInFlightDrainsAndExitsZero() async throws {
        let directory = try TemporaryDirectory()
        // Answers take 120 s, and SIGTERM is sent once the journal shows requests in flight (the
        // simulator counts a request only as it answers, which made this test flaky at 4 s). At
        // 30 s, CI's loaded start saw them in flight only after 34 s, when they had been answered.
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "40", "--fault", "civil-registry.latencyMs=120000"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["shutdown", "graceSeconds"], 1)
            config.setForAllAgencies(["timeouts", "requestMs"], 180_000)
        }
        let process = try daemon.start()
        let watcher = try daemon.journal()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            ((try? await watcher.transferCounts())?.byAgency["civil-registry"]?[.sending] ?? 0) > 0
        })
        await watcher.close()
        let clock = ContinuousClock()
        let signalled = clock.now
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(20)) == 0)
        // The grace period is 1 s. Waiting for the answers would take up to 120 s; the bound tells
        // the two apart with room for a loaded machine (3.5 s was exceeded with the suite running).
        #expect(clock.now - signalled < .seconds(15))
        #expect(process.stderr.contains("handing back requests still in flight"))
        let journal = try daemon.journal()
        #expect(try await journal.transfers(TransferQuery(states: [.sending])).isEmpty)
        #expect(try await journal.transfers(TransferQuery(states: [.ready])).count > 0)
        await journal.close()
        await sim.stop()
    }

    @Test func sighupWithABadConfigKeepsRunningOnTheOldOne() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let process = try daemon.start()
        #expect(await process.waitForLog("sync started"))
        let good = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try good.replacingOccurrences(of: "\"pageSize\":200", with: "\"pageSize\":\"lots\"")
            .write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        process.signal(SIGHUP)
        #expect(await process.waitForLog("reload refused"))
        #expect(process.stderr.contains("/register/pageSize"))
        #expect(process.exitStatus == nil)
        // Still syncing: a dossier added now is written back.
        var dossier = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json")))["dossier"]!
        if case .object(var members) = dossier { members["code"] = "AFTER-HUP-1"; dossier = .object(members) }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": dossier]]])
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await sim.interconnections()["AFTER-HUP-1"]?["outcome"]) == "completed"
        })
        try good.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        process.signal(SIGHUP)
        #expect(await process.waitForLog("configuration reloaded"))
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await sim.stop()
    }

    @Test func tellsSystemdItIsReadyAliveAndStopping() async throws {
        let directory = try TemporaryDirectory()
        let socket = try NotifySocket(directory: directory)
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = socket.path
        environment["WATCHDOG_USEC"] = "400000"
        let process = try daemon.start(environment: environment)
        var messages: [String] = []
        #expect(socket.waitFor("READY=1", timeout: .seconds(20), into: &messages))
        #expect(socket.waitFor("WATCHDOG=1", timeout: .seconds(5), into: &messages))
        process.signal(SIGTERM)
        #expect(socket.waitFor("STOPPING=1", timeout: .seconds(20), into: &messages))
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        #expect(messages.contains { $0.contains("STATUS=") })
        await sim.stop()
    }
}
