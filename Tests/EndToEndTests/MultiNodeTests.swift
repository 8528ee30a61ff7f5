import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Several daemons on one PostgreSQL journal, as real processes against the simulator:
/// the work is shared and nothing is done twice, however they are faulted. The long versions
/// are `make reliability` scenarios.
@Suite("End to end: several daemons on one PostgreSQL", .serialized)
struct MultiNodeTests {
    static func settled(_ journal: any Journal, _ sim: SimulatorProcess) async -> Bool {
        await sim.allSettled(in: journal, timeout: .seconds(180))
    }

    /// Nothing applied twice by an agency, and each dossier's write-back verified once.
    static func expectDoneOnce(_ journal: any Journal, _ sim: SimulatorProcess) async throws {
        let stats = try await sim.stats()
        #expect(stats["repeatedEffects"] == 0, "\(stats)")
        let verified = try await journal.events(EventQuery(limit: 100_000)).filter { $0.event.message.hasSuffix("stored by the register and verified") }
        #expect(verified.count == stats["interconnections"]?.intValue, "each write-back verified once")
        #expect(Set(verified.compactMap(\.event.dossierCode)).count == verified.count)
        #expect(try await AuditChain.verify(journal).firstBreak == nil, "the daemons' events form one chain")
    }

    @Test func threeDaemonsShareTheWorkUnderTheFaultMixAndDoNothingTwice() async throws {
        let directory = try TemporaryDirectory()
        let postgres = try TestPostgres.fromEnvironment().freshJournal(in: directory, instanceTimeoutSeconds: 15)
        defer { postgres.drop() }
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "150", "--seed", "12", "--decision-delay-ms", "50"] + SimulatorProcess.faultMix, in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres, edit: FaultTests.resilient)
        let nodes = try (1...3).map { try daemon.start(name: "node\($0)") }
        let journal = try daemon.journal()
        let settled = await Self.settled(journal, sim)
        let stats = (try? await sim.stats()) ?? [:]
        #expect(settled, "\(stats)")
        for node in nodes { node.signal(SIGTERM) }
        for node in nodes { #expect(await node.waitForExit(timeout: .seconds(30)) == 0, "\(node.stderr.suffix(2_000))") }
        try await Self.expectDoneOnce(journal, sim)
        let instances = try await journal.instances()
        #expect(instances.count == 3 && instances.allSatisfy { $0.stoppedAt != nil }, "each node registered, and stopped cleanly")
        let pollers = nodes.filter { $0.stderr.contains("polls the register") }
        #expect(pollers.count >= 1, "one node holds the register poll's lease")
        await journal.close()
        await sim.stop()
    }

    /// A daemon paused past the instance timeout (SIGSTOP) loses its claims to the others;
    /// woken (SIGCONT), its late settles are refused, it says so once, and nothing is done twice.
    @Test func aPausedDaemonsClaimsAreTakenOverAndItsLateSettlesRefused() async throws {
        let directory = try TemporaryDirectory()
        let postgres = try TestPostgres.fromEnvironment().freshJournal(in: directory, instanceTimeoutSeconds: 5)
        defer { postgres.drop() }
        // Slow agencies, so the paused daemon surely holds requests in flight.
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "40", "--seed", "3", "--decision-delay-ms", "50",
                                                         "--fault", "civil-registry.latencyMs=800", "--fault", "land.latencyMs=800",
                                                         "--fault", "insurance.latencyMs=800"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres)
        let paused = try daemon.start(name: "paused")
        let journal = try daemon.journal()
        let pausedID = try #require(await paused.instanceID(in: journal))
        // Claims are read again once the daemon is stopped: a request in flight at the first
        // read may have settled before the signal landed (CI's loaded run found none left).
        // Then it is woken and paused again at its next claim.
        var held: [Int64] = []
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            guard ((try? await journal.transfers(TransferQuery(states: [.sending]))) ?? []).contains(where: { $0.claimedBy == pausedID }) else { return false }
            paused.signal(SIGSTOP)
            guard await ChildProcess.waitUntil(timeout: .seconds(10), { Self.isStopped(paused.pid) }) else { return false }
            held = ((try? await journal.transfers(TransferQuery(states: [.sending]))) ?? []).filter { $0.claimedBy == pausedID }.map(\.id)
            if held.isEmpty { paused.signal(SIGCONT) }
            return !held.isEmpty
        }, "the daemon holds claims when it is paused")
        let other = try daemon.start(name: "other")
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let now = (try? await journal.transfers(TransferQuery(states: [.sending]))) ?? []
            return !now.contains { held.contains($0.id) && $0.claimedBy == pausedID }
        }, "the other daemon took the paused one's claims over")
        #expect(await Self.settled(journal, sim))
        paused.signal(SIGCONT)
        #expect(await paused.waitForLog("another node took over this daemon's claims"))
        for node in [paused, other] {
            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(30)) == 0, "\(node.stderr.suffix(2_000))")
        }
        #expect(paused.stderr.components(separatedBy: "another node took over").count == 2, "said once")
        try await Self.expectDoneOnce(journal, sim)
        await journal.close()
        await sim.stop()
    }

    /// Whether the process is stopped (state `T` in /proc/PID/stat), so it writes nothing more.
    static func isStopped(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: end)...].trimmingPrefix(" ").first == "T"
    }
}
