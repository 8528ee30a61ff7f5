import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: faults and the circuit breaker", .serialized)
struct FaultTests {
    /// Short timeouts and generous budgets, so transient faults are retried quickly and never kill a transfer.
    static func resilient(_ config: inout [String: JSONValue]) {
        config.setForAllAgencies(["timeouts"], ["connectMs": 500, "requestMs": 600])
        config.setForAllAgencies(["retry"], ["maxAttempts": 60, "initialDelayMs": 50, "maxDelayMs": 800, "maxAgeSeconds": 300])
        config.setForAllAgencies(["circuitBreaker"], ["failureThreshold": 8, "openSeconds": 1, "halfOpenProbes": 1])
        config.set(["register", "retry"], ["maxAttempts": 1_000, "initialDelayMs": 50, "maxDelayMs": 500, "maxAgeSeconds": 3_600])
    }

    @Test(arguments: SyncTests.dialects) func completesEverythingDespiteTheFaultMixAndAnOutage(dialect: String) async throws {
        let directory = try TemporaryDirectory()
        let arguments = ["--dossiers", "150", "--seed", "5", "--decision-delay-ms", "50", "--fault", "land.down=true", "--dialect", dialect]
            + SimulatorProcess.faultMix
        let sim = try await SimulatorProcess(arguments: arguments, in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory, edit: Self.resilient)
        let process = try daemon.start(["--until-idle", "--idle-horizon", "5"])
        // Land stays down until its circuit has opened, then recovers.
        #expect(await process.waitForLog("circuit opened", timeout: .seconds(60)))
        try await sim.setFaults(["land": ["down": false]])
        let status = await process.waitForExit(timeout: .seconds(180))
        #expect(status == 0, "\(process.stderr.suffix(3_000))")

        let journal = try daemon.journal()
        #expect(try await journal.transfers(TransferQuery(states: [.dead])).isEmpty)
        let outcomes = try await journal.dossierCounts()
        #expect(outcomes[.inProgress, default: 0] == 0 && outcomes[.failed, default: 0] == 0, "\(outcomes)")
        #expect(outcomes[.completed, default: 0] > 100)
        let stats = try await sim.stats()
        #expect(stats["repeatedEffects"] == 0)
        if dialect == "portal" { try await SyncTests.expectProgressReports(sim: sim, stats: stats, records: try await sim.interconnections()) }
        let retries = try await journal.events(EventQuery(limit: 100_000)).filter { $0.event.message.contains("retrying at") }
        #expect(retries.count > 10)
        await journal.close()
        await sim.stop()
    }

    @Test func anOpenCircuitStopsRequestsToOneAgencyWhileTheOthersFinish() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "60", "--fault", "insurance.error5xxRate=1"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["agencies", "insurance", "circuitBreaker"], ["failureThreshold": 3, "openSeconds": 600, "halfOpenProbes": 1])
            config.set(["agencies", "insurance", "retry"], ["maxAttempts": 100, "initialDelayMs": 10, "maxDelayMs": 50, "maxAgeSeconds": 3_600])
        }
        let process = try daemon.start()
        #expect(await process.waitForLog("circuit opened", timeout: .seconds(30)))
        let journal = try daemon.journal()
        // Requests that left before the circuit opened may still be on their way: wait until none
        // is in flight to insurance, then count; from there on, not one more may arrive.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            ((try? await journal.transferCounts())?.byAgency["insurance"]?[.sending] ?? 0) == 0
        })
        let atOpening = try await sim.stats()["requests"]?["insurance"]?.intValue ?? -1
        // The other agencies finish everything they can do without insurance.
        let othersDone = await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let counts = (try? await journal.transferCounts())?.byAgency ?? [:]
            return ["civil-registry", "land"].allSatisfy { agency in
                let states = counts[agency] ?? [:]
                return states[.ready, default: 0] + states[.sending, default: 0] + states[.retrying, default: 0] + states[.accepted, default: 0] == 0
                    && states[.completed, default: 0] > 0
            }
        }
        #expect(othersDone)
        #expect(try await sim.stats()["requests"]?["insurance"]?.intValue == atOpening, "requests reached insurance while its circuit was open")
        #expect(process.stderr.components(separatedBy: "circuit opened").count == 2, "the opening is logged once")
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }
}
