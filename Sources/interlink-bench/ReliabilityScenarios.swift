import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `make reliability`: scenarios that print their figures and fail when a guarantee breaks.
enum ReliabilityScenarios {
    /// A scenario's verdict: its figures and the guarantees it checked.
    struct Verdict {
        var name: String
        var figures: [(String, String)] = []
        var failures: [String] = []

        mutating func check(_ holds: Bool, _ guarantee: String) {
            if !holds { failures.append(guarantee) }
        }

        func print() {
            Swift.print("\n== \(name): \(failures.isEmpty ? "PASS" : "FAIL")")
            for (label, value) in figures { Swift.print("   " + label.padding(toLength: max(44, label.count + 2), withPad: " ", startingAt: 0) + value) }
            for failure in failures { Swift.print("   broken: \(failure)") }
            // Shown as each scenario ends, even when the output goes to a file.
            fflush(nil)
        }
    }

    /// Exactly-once and completeness checks shared by the scenarios.
    /// `refusedAtThePage` register items are malformed beyond reading: quarantined, never stored.
    static func checkOutcome(_ verdict: inout Verdict, sim: SimulatorProcess, daemon: DaemonHarness, refusedAtThePage: Int = 0) async throws {
        let stats = try await sim.stats()
        let registered = (stats["dossiers"]?.intValue ?? 0) - refusedAtThePage
        let journal = try daemon.journal()
        let outcomes = try await journal.dossierCounts()
        let stored = outcomes.values.reduce(0, +)
        let records = try await sim.interconnections()
        let sending = try await journal.transfers(TransferQuery(states: [.sending])).count
        let dead = try await journal.transfers(TransferQuery(states: [.dead])).count
        let verified = try await journal.events(EventQuery(limit: 10_000_000)).filter { $0.event.message.hasSuffix("stored by the register and verified") }.count
        await journal.close()
        let effects = try await sim.effects().filter { $0["operation"] != "interconnection" }
        let perStep = Dictionary(grouping: effects) { "\($0["agency"]?.stringValue ?? "")|\($0["operation"]?.stringValue ?? "")|\($0["dossierCode"]?.stringValue ?? "")" }
        let repeated = perStep.values.filter { $0.count > 1 }.count
        verdict.figures += [("dossiers readable: register / journal", "\(registered) / \(stored)"),
                            ("write-backs present / verified", "\(records.count) / \(verified)"),
                            ("agency effects / applied twice", "\(effects.count) / \(repeated)"),
                            ("transfers left sending / dead", "\(sending) / \(dead)"),
                            ("outcomes", outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))]
        verdict.check(stored == registered, "no dossier lost")
        verdict.check(repeated == 0 && stats["repeatedEffects"] == 0, "no effect applied twice")
        verdict.check(records.count == registered, "every write-back present")
        verdict.check(verified >= records.count, "every write-back verified")
        verdict.check(sending == 0, "nothing left sending")
        verdict.check(outcomes[.inProgress, default: 0] == 0, "every dossier settled")
    }

    /// 1. Kill storm: SIGKILL at random moments during a sync, `PRAGMA integrity_check` after each.
    static func killStorm(dossiers: Int, kills: Int) async throws -> Verdict {
        var verdict = Verdict(name: "kill storm: \(kills) SIGKILLs during a \(dossiers)-dossier sync")
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "13",
                                                         "--decision-delay-ms", "50"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["log", "level"], "warning")
            config.set(["register", "pageSize"], 100)
        }
        var random = SeededGenerator(seed: 99)
        var integrityFailures = 0
        let clock = ContinuousClock()
        let started = clock.now
        for round in 0..<kills {
            let process = try daemon.start(name: "kill-\(round)")
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...400, using: &random)))
            process.signal(SIGKILL)
            _ = await process.waitForExit(timeout: .seconds(10))
            if FileManager.default.fileExists(atPath: daemon.journalPath) {
                let check = try SQLiteConnection(path: daemon.journalPath).prepare("PRAGMA integrity_check")
                if !(try check.step() && check.string(0) == "ok") { integrityFailures += 1 }
            }
        }
        let final = try await daemon.runUntilIdle(timeout: .seconds(1_800), name: "final")
        verdict.figures.append(("kills / integrity_check failures", "\(kills) / \(integrityFailures)"))
        verdict.figures.append(("seconds, kills and final run", String(format: "%.1f", seconds(clock.now - started))))
        verdict.check(final.exitStatus == 0, "the final run exits 0")
        verdict.check(integrityFailures == 0, "PRAGMA integrity_check ok after every kill")
        try await checkOutcome(&verdict, sim: sim, daemon: daemon)
        await sim.stop()
        return verdict
    }

    /// 2. Lost responses: agencies and the register apply the effect, then reset the connection.
    static func lostResponses(dossiers: Int, rate: Double) async throws -> Verdict {
        var verdict = Verdict(name: "lost responses: effects applied, then the connection reset")
        let directory = try TemporaryDirectory()
        var arguments = ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "17"]
        for service in SimulatedWorld.services { arguments += ["--fault", "\(service).resetAfterEffectRate=\(rate)"] }
        let sim = try await SimulatorProcess(arguments: arguments, in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["log", "level"], "warning")
            config.setForAllAgencies(["retry"], ["maxAttempts": 40, "initialDelayMs": 10, "maxDelayMs": 200, "maxAgeSeconds": 600])
            config.setForAllAgencies(["circuitBreaker"], ["failureThreshold": 10_000, "openSeconds": 1, "halfOpenProbes": 1])
            config.set(["register", "retry"], ["maxAttempts": 40, "initialDelayMs": 10, "maxDelayMs": 200, "maxAgeSeconds": 600])
        }
        let run = try await daemon.runUntilIdle(timeout: .seconds(1_800))
        let stats = try await sim.stats()
        let lost = stats["faultsInjected"]?["lost-response"]?.intValue ?? 0
        let repeats = stats["idempotencyKeyRepeats"]?.intValue ?? 0
        verdict.figures.append(("responses lost after the effect", "\(lost)"))
        verdict.figures.append(("requests repeating a key (retries)", "\(repeats)"))
        verdict.check(run.exitStatus == 0, "the run exits 0")
        verdict.check(lost >= 1_000, "at least 1,000 lost responses were injected")
        // Every lost response is followed by a retry under the same key; a retry under a new key
        // would have applied the effect twice, which checkOutcome counts.
        verdict.check(repeats >= lost, "every lost response retried under its key")
        try await checkOutcome(&verdict, sim: sim, daemon: daemon)
        await sim.stop()
        return verdict
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
