import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

extension ReliabilityScenarios {
    /// 4. The engine issue's fault mix (5xx, timeouts, resets, malformed answers on every
    /// service, and land down until its circuit opens) at ten times the end-to-end test's volume.
    static func faultMix(dossiers: Int) async throws -> Verdict {
        var verdict = Verdict(name: "fault mix at \(dossiers) dossiers, land down until its circuit opens")
        let directory = try TemporaryDirectory()
        let arguments = ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "5", "--decision-delay-ms", "50", "--fault", "land.down=true"]
            + SimulatorProcess.faultMix
        let sim = try await SimulatorProcess(arguments: arguments, in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["log", "level"], "warning")
            config.setForAllAgencies(["timeouts"], ["connectMs": 500, "requestMs": 600])
            config.setForAllAgencies(["retry"], ["maxAttempts": 60, "initialDelayMs": 50, "maxDelayMs": 800, "maxAgeSeconds": 600])
            config.setForAllAgencies(["circuitBreaker"], ["failureThreshold": 8, "openSeconds": 1, "halfOpenProbes": 1])
            config.set(["register", "retry"], ["maxAttempts": 1_000, "initialDelayMs": 50, "maxDelayMs": 500, "maxAgeSeconds": 3_600])
        }
        let clock = ContinuousClock()
        let started = clock.now
        let process = try daemon.start(["--until-idle", "--idle-horizon", "5"], name: "fault-mix")
        let opened = await process.waitForLog("circuit opened", timeout: .seconds(120))
        try await sim.setFaults(["land": ["down": false]])
        let status = await process.waitForExit(timeout: .seconds(1_800))
        let elapsed = seconds(clock.now - started)
        let stats = try await sim.stats()
        let injected = stats["faultsInjected"]?.objectValue?.compactMapValues(\.intValue) ?? [:]
        verdict.figures += [
            ("faults injected", injected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            ("seconds", SyncBenchmark.format(elapsed)),
        ]
        verdict.check(opened, "land's circuit opens during its outage")
        verdict.check(status == 0, "the run exits 0")
        let dead = try await daemon.journal().transfers(TransferQuery(states: [.dead])).count
        verdict.figures.append(("dead transfers", "\(dead)"))
        verdict.check(dead == 0, "no transfer dies of a transient fault")
        try await checkOutcome(&verdict, sim: sim, daemon: daemon)
        await sim.stop()
        return verdict
    }
}
