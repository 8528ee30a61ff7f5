import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

extension ReliabilityScenarios {
    /// 3. Outage: land is down for `outageSeconds` from the start of a sync while the other
    /// agencies work. Measured against the same sync with no outage.
    static func outage(dossiers: Int, outageSeconds: Int) async throws -> Verdict {
        var verdict = Verdict(name: "outage: land down for \(outageSeconds) s during a \(dossiers)-dossier sync")
        let baseline = try await outageRun(dossiers: dossiers, outageSeconds: 0)
        let outage = try await outageRun(dossiers: dossiers, outageSeconds: outageSeconds)
        let share = outage.othersPerSecond / baseline.othersPerSecond
        verdict.figures += [
            ("others' decisions/s, no outage / outage", "\(SyncBenchmark.format(baseline.othersPerSecond)) / \(SyncBenchmark.format(outage.othersPerSecond))"),
            ("others' throughput kept", String(format: "%.0f%%", share * 100)),
            ("requests land received while down", "\(outage.landRequestsWhileDown) (it refused connections)"),
            ("circuit openings logged", "\(outage.circuitOpenings)"),
            ("seconds to catch up after recovery", SyncBenchmark.format(outage.catchUpSeconds)),
        ]
        verdict.figures += outage.outcome.figures
        verdict.failures += outage.outcome.failures
        verdict.check(share >= 0.9, "the other agencies keep ≥ 90% of their throughput")
        verdict.check(outage.circuitOpenings >= 1, "land's circuit opens")
        verdict.check(outage.dead == 0, "the catch-up ends with no dead transfers")
        return verdict
    }

    struct OutageRun {
        var othersPerSecond = 0.0
        var landRequestsWhileDown = 0
        var circuitOpenings = 0
        var catchUpSeconds = 0.0
        var dead = 0
        var outcome = Verdict(name: "")
    }

    private static func outageRun(dossiers: Int, outageSeconds: Int) async throws -> OutageRun {
        let directory = try TemporaryDirectory()
        var arguments = ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "23", "--decision-delay-ms", "50"]
        if outageSeconds > 0 { arguments += ["--fault", "land.down=true"] }
        let sim = try await SimulatorProcess(arguments: arguments, in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["log", "level"], "warning")
            config.set(["agencies", "land", "retry"], ["maxAttempts": 1_000, "initialDelayMs": 200, "maxDelayMs": 2_000,
                                                        "maxAgeSeconds": .number(Double(outageSeconds * 3 + 120))])
            config.set(["agencies", "land", "circuitBreaker"], ["failureThreshold": 5, "openSeconds": 2, "halfOpenProbes": 1])
        }
        let clock = ContinuousClock()
        let process = try daemon.start(["--until-idle", "--idle-horizon", "2"], name: "outage")
        var run = OutageRun()
        if outageSeconds > 0 {
            try await Task.sleep(for: .seconds(outageSeconds))
            run.landRequestsWhileDown = try await sim.stats()["requests"]?["land"]?.intValue ?? 0
            try await sim.setFaults(["land": ["down": false]])
        }
        let recovered = clock.now
        let status = await process.waitForExit(timeout: .seconds(outageSeconds + 1_800))
        run.catchUpSeconds = seconds(clock.now - recovered)
        run.circuitOpenings = process.stderr.components(separatedBy: "circuit opened").count - 1
        run.outcome.check(status == 0, "the run exits 0")
        // The other agencies' decisions per second, from the first dossier seen to their last decision.
        let connection = try SQLiteConnection(path: daemon.journalPath)
        let rows = try connection.prepare("""
            SELECT COUNT(*), MAX(t.updated_at) - (SELECT MIN(seen_at) FROM dossiers) FROM transfers t
            WHERE t.agency != 'land' AND t.state IN ('completed', 'rejected')
            """).rows([]) { ($0.int64(0), $0.int64(1)) }
        if let (decisions, spanMs) = rows.first, spanMs > 0 { run.othersPerSecond = Double(decisions) / (Double(spanMs) / 1_000) }
        run.dead = Int(try connection.scalarInt("SELECT COUNT(*) FROM transfers WHERE state = 'dead'") ?? -1)
        try await checkOutcome(&run.outcome, sim: sim, daemon: daemon)
        await sim.stop()
        return run
    }
}
