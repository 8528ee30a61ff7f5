import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// Scenarios 8 to 11: several daemons on one PostgreSQL (`make reliability` starts a throwaway
/// cluster for them). Every node runs until the register's dossiers are all settled and
/// written back; then they are stopped and the shared checks run on the one journal.
extension ReliabilityScenarios {
    /// The nodes' cluster, from the environment `.ci/postgres-cluster` sets.
    struct Nodes {
        let directory: TemporaryDirectory
        let sim: SimulatorProcess
        let postgres: TestPostgresJournal
        let daemon: DaemonHarness
        var processes: [ChildProcess] = []
        var started = 0

        init(dossiers: Int, seed: Int, instanceTimeoutSeconds: Int, extraSimArguments: [String] = []) async throws {
            directory = try TemporaryDirectory()
            sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(dossiers), "--seed", String(seed),
                                                         "--decision-delay-ms", "50"] + extraSimArguments, in: directory)
            postgres = try TestPostgres.fromEnvironment().freshJournal(in: directory, instanceTimeoutSeconds: instanceTimeoutSeconds)
            daemon = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres) { config in
                config.set(["log", "level"], "warning")
                config.set(["register", "pageSize"], 100)
                config.setForAllAgencies(["timeouts"], ["connectMs": 500, "requestMs": 2_000])
                config.setForAllAgencies(["retry"], ["maxAttempts": 200, "initialDelayMs": 50, "maxDelayMs": 1_000, "maxAgeSeconds": 3_600])
                config.setForAllAgencies(["circuitBreaker"], ["failureThreshold": 8, "openSeconds": 1, "halfOpenProbes": 1])
                config.set(["register", "retry"], ["maxAttempts": 1_000, "initialDelayMs": 50, "maxDelayMs": 1_000, "maxAgeSeconds": 3_600])
            }
        }

        /// Starts one more node.
        mutating func start() throws -> ChildProcess {
            started += 1
            let process = try daemon.start(name: "node-\(started)")
            processes.append(process)
            return process
        }

        /// Waits for the work to be done, then stops every running node; true when all exit 0.
        func finish(_ verdict: inout Verdict, timeout: Duration = .seconds(1_800)) async throws {
            let journal = try daemon.journal()
            let settled = await sim.allSettled(in: journal, timeout: timeout, workers: processes)
            await journal.close()
            verdict.check(settled, "every dossier settled and written back within \(timeout)")
            if let failed = processes.first(where: { $0.exitStatus != nil && $0.exitStatus != 0 && $0.exitStatus != -SIGKILL }) {
                verdict.failures.append("a node exited \(failed.exitStatus ?? 0): \(failed.stderr.suffix(500))")
            }
            var exits: [Int32?] = []
            for process in processes where process.exitStatus == nil { process.signal(SIGTERM) }
            for process in processes { exits.append(await process.waitForExit(timeout: .seconds(60))) }
            verdict.check(exits.allSatisfy { $0 != nil }, "every node stops on SIGTERM")
            try await checkOutcome(&verdict, sim: sim, daemon: daemon)
            let chain = try await AuditChain.verify(try daemon.journal())
            verdict.figures.append(("events in the one audit chain", "\(chain.events)"))
            verdict.check(chain.firstBreak == nil, "the nodes' events form one verifiable chain")
            await sim.stop()
            postgres.drop()
        }
    }

    /// 8. Three daemons on one PostgreSQL with the fault mix.
    static func threeNodes(dossiers: Int) async throws -> Verdict {
        var verdict = Verdict(name: "three nodes: \(dossiers) dossiers, the fault mix, one PostgreSQL")
        var nodes = try await Nodes(dossiers: dossiers, seed: 21, instanceTimeoutSeconds: 15, extraSimArguments: SimulatorProcess.faultMix)
        let clock = ContinuousClock(), started = clock.now
        for _ in 0..<3 { _ = try nodes.start() }
        try await nodes.finish(&verdict)
        verdict.figures.insert(("seconds to settle everything", String(format: "%.1f", seconds(clock.now - started))), at: 0)
        return verdict
    }

    /// 9. Kill storm across nodes: SIGKILL a random one of three every few seconds and restart
    /// it, while the others run; no claim of a killed node may stay stuck past the timeout.
    static func nodeKillStorm(dossiers: Int, kills: Int) async throws -> Verdict {
        var verdict = Verdict(name: "node kill storm: \(kills) SIGKILLs among three nodes, \(dossiers) dossiers")
        var nodes = try await Nodes(dossiers: dossiers, seed: 23, instanceTimeoutSeconds: 5)
        var running = try (0..<3).map { _ in try nodes.start() }
        var random = SeededGenerator(seed: 7)
        let journal = try nodes.daemon.journal()
        var longestTakeover = Duration.zero
        for _ in 0..<kills {
            try await Task.sleep(for: .milliseconds(Int.random(in: 1_000...3_000, using: &random)))
            let index = Int.random(in: 0..<running.count, using: &random)
            let victim = running[index]
            let victimID = await victim.instanceID(in: journal)
            victim.signal(SIGKILL)
            _ = await victim.waitForExit(timeout: .seconds(10))
            let killedAt = ContinuousClock.now
            running[index] = try nodes.start()
            guard let victimID else { continue }
            // The restart frees a dead same-host node's claims at once; the timeout bounds the rest.
            _ = await ChildProcess.waitUntil(timeout: .seconds(60)) {
                let held = ((try? await journal.transfers(TransferQuery(states: [.sending], limit: 100_000))) ?? []).contains { $0.claimedBy == victimID }
                return !held
            }
            longestTakeover = max(longestTakeover, ContinuousClock.now - killedAt)
        }
        await journal.close()
        verdict.figures.append(("kills / longest wait for a killed node's claims", "\(kills) / \(String(format: "%.1f", seconds(longestTakeover))) s"))
        verdict.check(longestTakeover < .seconds(5 + 3), "no claim stuck longer than the instance timeout (5 s) and a heartbeat")
        try await nodes.finish(&verdict)
        return verdict
    }

    /// 10. A paused node: SIGSTOP one of three past its instance timeout while it holds
    /// claims, then SIGCONT: its late settles are refused and it says so once.
    static func pausedNode(dossiers: Int) async throws -> Verdict {
        var verdict = Verdict(name: "paused node: SIGSTOP past the instance timeout, then SIGCONT")
        var nodes = try await Nodes(dossiers: dossiers, seed: 29, instanceTimeoutSeconds: 5,
                                    extraSimArguments: SimulatedWorld.services.dropFirst().flatMap { ["--fault", "\($0).latencyMs=300"] })
        let paused = try nodes.start()
        for _ in 0..<2 { _ = try nodes.start() }
        let journal = try nodes.daemon.journal()
        let pausedID = await paused.instanceID(in: journal)
        _ = await ChildProcess.waitUntil(timeout: .seconds(60)) {
            guard let pausedID else { return false }
            return ((try? await journal.transfers(TransferQuery(states: [.sending]))) ?? []).contains { $0.claimedBy == pausedID }
        }
        paused.signal(SIGSTOP)
        let held = try await journal.transfers(TransferQuery(states: [.sending])).filter { $0.claimedBy == pausedID }.count
        try await Task.sleep(for: .seconds(12))
        let stillHeld = try await journal.transfers(TransferQuery(states: [.sending])).filter { $0.claimedBy == pausedID }.count
        paused.signal(SIGCONT)
        let told = await paused.waitForLog("another node took over this daemon's claims", timeout: .seconds(60))
        await journal.close()
        verdict.figures.append(("claims held when paused / still held after 12 s", "\(held) / \(stillHeld)"))
        verdict.check(held > 0, "the node held claims when it was paused")
        verdict.check(stillHeld == 0, "its claims were taken over")
        verdict.check(told, "woken, it logs that its claims were taken over")
        try await nodes.finish(&verdict)
        verdict.check(paused.stderr.components(separatedBy: "another node took over").count == 2, "it says so once")
        return verdict
    }

    /// 11. PostgreSQL restarted mid-run (`pg_ctl restart -m fast`): the nodes reconnect with
    /// backoff and finish.
    static func postgresRestart(dossiers: Int) async throws -> Verdict {
        var verdict = Verdict(name: "PostgreSQL restart: pg_ctl restart -m fast mid-run under three nodes")
        var nodes = try await Nodes(dossiers: dossiers, seed: 31, instanceTimeoutSeconds: 15)
        for _ in 0..<3 { _ = try nodes.start() }
        let server = try TestPostgres.fromEnvironment()
        guard let data = server.dataDirectory, let pgCtl = server.pgCtl else { throw HarnessError("no INTERLINK_TEST_POSTGRES_DATA: run under .ci/postgres-cluster") }
        let journal = try nodes.daemon.journal()
        _ = await ChildProcess.waitUntil(timeout: .seconds(120)) { ((try? await journal.dossierCounts()) ?? [:])[.completed, default: 0] >= dossiers / 5 }
        await journal.close()
        // The new server logs to its file, and the restart's own output goes to files too:
        // nothing the server inherits is a pipe someone waits to see closed.
        let log = (data as NSString).deletingLastPathComponent + "/server.log"
        let status = try spawnAndWait(["/usr/sbin/runuser", "-u", "postgres", "--", pgCtl, "-D", data, "-l", log, "-m", "fast", "-w", "restart"]).status
        verdict.figures.append(("pg_ctl restart exit", "\(status)"))
        verdict.check(status == 0, "PostgreSQL restarted")
        try await nodes.finish(&verdict)
        verdict.check(nodes.processes.allSatisfy { $0.exitStatus == 0 }, "every node rode the restart out and exits 0")
        return verdict
    }
}
