import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The register is protected like an agency: polls and write-backs share one breaker and one
/// backoff, so an outage costs a probe now and then and is told once at each end.
@Suite("End to end: a register outage", .serialized)
struct RegisterOutageTests {
    /// Warning and error lines about the register or write-backs in `stderr`.
    static func registerWarnings(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { line in
            (line.contains(#""level":"warning""#) || line.contains(#""level":"error""#))
                && (line.contains("register") || line.contains("write-back"))
        }
    }

    @Test func thirtySecondsDownWithAThousandWriteBacksPendingCostsAFewProbesAndOneWarning() async throws {
        let directory = try TemporaryDirectory()
        let dossiers = 1_000
        // Agencies decide 3 s after accepting, so the write-backs come while the register is down
        // however fast the daemon plans (it once finished them all before the outage began).
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "3", "--decision-delay-ms", "3000"],
                                             in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let process = try daemon.start()
        let journal = try daemon.journal()
        // Down (every request a 503) once every dossier was read and planned (its record read
        // first), so the write-backs are what waits for the register.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            (try? await sim.stats())?["recordReads"]?.intValue == dossiers
        })
        let lastEvent = try await journal.events(EventQuery(limit: 1_000_000)).last?.sequence ?? 0
        let warningsBefore = Self.registerWarnings(process.stderr).count
        try await sim.setFaults(["register": ["error5xxRate": 1.0]])
        // Counted once the fault is set: write-backs flow at hundreds a second until then, and
        // those received between two control requests would be charged to the outage.
        let requestsBefore = try await sim.stats()["requests"]?["register"]?.intValue ?? 0
        // `status` says so, and exits 1, once a heartbeat has carried the breaker's state.
        var status = try runProcess(Executables.path("interlinkctl"), ["status", "--journal", daemon.journalPath])
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            status = (try? runProcess(Executables.path("interlinkctl"), ["status", "--journal", daemon.journalPath])) ?? status
            return status.status == 1 && status.stdout.contains("unreachable")
        }, "status during the outage: \(status.stdout.suffix(600))")
        let down = ContinuousClock.now
        try await Task.sleep(for: .seconds(30))
        // On a loaded machine the agencies decide more slowly, and fewer write-backs wait by
        // then: the register stays down until most of them do. CI's full suite, with the
        // daemons of other tests sharing two cores, had 636 waiting after a minute more
        // (933 on an idle machine), so it may take up to three; the probe budget below
        // scales with the time down.
        var pending = 0
        _ = await ChildProcess.waitUntil(timeout: .seconds(180)) {
            pending = (try? await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: nil, target: nil, limit: 10_000).count) ?? 0
            return pending >= 700
        }
        let downSeconds = Double((ContinuousClock.now - down).components.seconds)
        let requestsDuring = (try await sim.stats()["requests"]?["register"]?.intValue ?? 0) - requestsBefore
        let warningsDuring = Self.registerWarnings(process.stderr).count - warningsBefore
        let outageEvents = try await journal.events(EventQuery(afterSequence: lastEvent, limit: 1_000_000))
            .filter { $0.event.kind == .registerPoll || ($0.event.kind == .writeBack && $0.event.level <= .warning) }
        try await sim.setFaults(["register": ["error5xxRate": 0.0]])

        #expect(await sim.allSettled(in: journal, timeout: .seconds(120), workers: [process]), "every write-back verified afterwards")
        let after = try await journal.events(EventQuery(afterSequence: lastEvent, limit: 1_000_000)).filter { $0.event.kind == .registerPoll }
        // 933 on an idle machine; fewer when the agencies are slowed by other tests.
        #expect(pending >= 700, "most write-backs were pending during the outage: \(pending)")
        let registerLines = process.stderr.split(separator: "\n").filter { $0.contains("register") }.suffix(4)
        #expect(Double(requestsDuring) <= 2 * downSeconds, "requests to the register during \(downSeconds) s down: \(requestsDuring); \(registerLines)")
        #expect(warningsDuring <= 5, "register warnings: \(warningsDuring): \(Self.registerWarnings(process.stderr).suffix(3))")
        #expect(outageEvents.count <= 5, "outage events: \(outageEvents.map { "\($0.event.kind.rawValue) \($0.event.level.rawValue): \($0.event.message)" })")
        #expect(outageEvents.contains { $0.event.message.contains("unreachable") })
        #expect(after.contains { $0.event.message.contains("answers again") }, "the end of the outage is one event too")
        #expect(try await sim.stats()["repeatedEffects"]?.intValue == 0)
        // One incident for the whole outage, closed, counting the dossiers whose write-backs waited.
        let incidents = try await journal.incidents(openOnly: false, dossierCode: nil, limit: 10).filter { $0.kind == .registerOutage }
        #expect(incidents.count == 1 && incidents.first?.closedAt != nil, "\(incidents)")
        #expect((incidents.first?.dossiers ?? 0) >= pending && (incidents.first?.attempts ?? 0) >= 3, "\(incidents)")
        #expect(try await journal.events(EventQuery(afterSequence: lastEvent, limit: 1_000_000)).filter { $0.event.kind == .incident }.count == 2)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }
}
