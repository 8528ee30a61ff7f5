import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Which journal a daemon may start on, what `--check-config --connect` says of it, and how a
/// single node's SQLite journal moves to PostgreSQL.
@Suite("End to end: journals at start, probed and migrated", .serialized)
struct JournalDeploymentTests {
    /// SQLite serves one daemon: a second is refused at start with exit 75 while the first
    /// runs (readers such as `interlinkctl` stay allowed), and starts once the first has gone.
    @Test func aSecondDaemonOnOneSQLiteJournalIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "5"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let first = try daemon.start(name: "first")
        #expect(await first.waitForLog("sync started"))
        let second = try daemon.start(name: "second")
        #expect(await second.waitForExit(timeout: .seconds(30)) == 75)
        #expect(second.stderr.contains("another interlinkd (pid \(first.pid)) runs on the journal"), "\(second.stderr)")
        #expect(second.stderr.contains("use PostgreSQL for several nodes"))
        let status = try runProcess(Executables.path("interlinkctl"), ["status", "--journal", daemon.journalPath])
        #expect(status.stdout.contains("running"), "readers stay allowed: \(status.stdout)")
        let probe = try runProcess(Executables.path("interlinkd"), ["--check-config", "--connect", "--config", daemon.configPath])
        #expect(probe.status == 0 && probe.stdout.contains("a second one would be refused"), "\(probe.stdout)")
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        let third = try daemon.start(name: "third")
        #expect(await third.waitForLog("sync started"), "the kernel let go of a killed daemon's lock")
        third.signal(SIGTERM)
        #expect(await third.waitForExit(timeout: .seconds(30)) == 0)
        await sim.stop()
    }

    /// PostgreSQL unreachable at start: exit 75 with the reason, for systemd's Restart= to
    /// try again; refused credentials are configuration, 78. `--check-config --connect` says
    /// the same before a start.
    @Test func anUnreachableOrRefusingPostgreSQLStopsTheStartWithItsReason() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let server = try TestPostgres.fromEnvironment()
        let postgres = try server.freshJournal(in: directory)
        defer { postgres.drop() }
        let closedPort = try closedLoopbackPort()
        let unreachable = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["journal"], ["postgres": ["conninfo": .string("host=127.0.0.1 port=\(closedPort) dbname=interlink user=interlink connect_timeout=2"),
                                                  "passwordFile": postgres.section["postgres"]?["passwordFile"] ?? .null]])
        }
        let run = try unreachable.start()
        #expect(await run.waitForExit(timeout: .seconds(30)) == 75)
        #expect(run.stderr.contains("the database is unreachable"), "\(run.stderr)")
        let probe = try runProcess(Executables.path("interlinkd"), ["--check-config", "--connect", "--config", unreachable.configPath])
        #expect(probe.status == 75 && probe.stdout.contains("Connection refused"), "\(probe.stdout)")

        let wrongPassword = try directory.write("wrong.password", "not-the-password\n")
        chmod(wrongPassword, 0o600)
        let refused = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres) { config in
            config.set(["journal", "postgres", "passwordFile"], .string(wrongPassword))
        }
        let denied = try refused.start()
        #expect(await denied.waitForExit(timeout: .seconds(30)) == 78)
        #expect(denied.stderr.contains("refused our credentials"), "\(denied.stderr)")

        let fine = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres)
        let before = try runProcess(Executables.path("interlinkd"), ["--check-config", "--connect", "--config", fine.configPath])
        #expect(before.status == 0 && before.stdout.contains("schema: none yet"), "\(before.stdout)")
        let journal = try fine.journal()
        await journal.close()
        let after = try runProcess(Executables.path("interlinkd"), ["--check-config", "--connect", "--config", fine.configPath])
        #expect(after.status == 0 && after.stdout.contains("schema: version ") && after.stdout.contains(", current") && after.stdout.contains("daemons: none running"),
                "\(after.stdout)")
        await sim.stop()
    }

    /// A single node's SQLite journal moves to PostgreSQL with every row and a chain that still
    /// verifies to the same tip; daemons on PostgreSQL carry on from it without redoing anything.
    @Test func aSQLiteJournalMovesToPostgreSQLAndTheNodesCarryOn() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "30", "--decision-delay-ms", "50"], in: directory)
        let single = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await single.runUntilIdle().exitStatus == 0)
        let sqlite = try single.journal()
        let sqliteTip = try await AuditChain.verify(sqlite)
        let sqliteCounts = (try await sqlite.dossierCounts(), try await sqlite.transferCounts().byAgency)
        let sqliteDeadlines = try await sqlite.deadlines(dossierCode: "H12.22-251120-0001")
        await sqlite.close()
        let postgres = try TestPostgres.fromEnvironment().freshJournal(in: directory)
        defer { postgres.drop() }
        let nodes = try DaemonHarness(simulator: sim, directory: directory, postgres: postgres)
        let ctl = Executables.path("interlinkctl")
        let copy = try runProcess(ctl, ["migrate-journal", "--to-postgres", "--config", nodes.configPath, "--journal", single.journalPath])
        #expect(copy.status == 0, "\(copy.stdout)\(copy.stderr)")
        #expect(copy.stdout.contains("audit chain ok on PostgreSQL: \(sqliteTip.events) events; tip \(SHA256.hex(sqliteTip.tip.hash))"), "\(copy.stdout)")
        let rowLines = copy.stdout.split(separator: "\n").filter { $0.hasSuffix(" rows") }
        #expect(rowLines.contains { $0.hasPrefix("incident_dossiers ") } && rowLines.allSatisfy { $0.split(separator: " ").count == 3 },
                "each table's name, then its count, apart: \(copy.stdout)")
        let again = try runProcess(ctl, ["migrate-journal", "--to-postgres", "--config", nodes.configPath, "--journal", single.journalPath])
        #expect(again.status == 74 && again.stderr.contains("already holds"), "never over a journal in use: \(again.stderr)")

        let journal = try nodes.journal()
        #expect(try await journal.dossierCounts() == sqliteCounts.0)
        #expect(try await journal.transferCounts().byAgency == sqliteCounts.1)
        let copiedDeadlines = try await journal.deadlines(dossierCode: "H12.22-251120-0001")
        #expect(!sqliteDeadlines.isEmpty && copiedDeadlines == sqliteDeadlines, "deadlines move too")
        let audit = try runProcess(ctl, ["audit", "verify", "--config", nodes.configPath, "--tip", SHA256.hex(sqliteTip.tip.hash)])
        #expect(audit.status == 0, "`audit verify` is the same command on PostgreSQL: \(audit.stdout)\(audit.stderr)")
        let effects = try await sim.stats()["totalEffects"]
        #expect(try await nodes.runUntilIdle().exitStatus == 0)
        #expect(try await sim.stats()["totalEffects"] == effects, "nothing is done again after the move")
        let status = try runProcess(ctl, ["status", "--json", "--config", nodes.configPath])
        let nodesSeen = try JSONParser.parse(status.stdout)["nodes"]?.arrayValue ?? []
        #expect(nodesSeen.count == 2, "the SQLite node, stopped, and the PostgreSQL one: \(status.stdout)")
        await journal.close()
        await sim.stop()
    }
}
