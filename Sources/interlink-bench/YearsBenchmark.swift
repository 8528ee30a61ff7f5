import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `make bench VARIANT=years`: whether the daemon and the operators' tools stay as fast on a
/// journal holding years of history as on an empty one. Syncs the same new dossiers on an
/// empty journal and on one of N past dossiers (default 1,000,000, ten events each), times
/// every `interlinkctl` command an operator runs daily on the big one, `audit verify` per
/// million events, and the journal's bytes per dossier before and after a purge.
enum YearsBenchmark {
    struct Options {
        var history = 1_000_000
        var newDossiers = 10_000
        var postgres = false
        var output: String?
        /// A history built earlier with `--history-only`, copied instead of built again (SQLite only).
        var historyFrom: String?
    }

    static let commandTargetMs = 100.0

    static func run(_ options: Options, interlinkctl: String) async throws {
        var options = options
        if let path = options.historyFrom {
            guard !options.postgres else { throw UsageError("--history-from copies a SQLite journal; it cannot seed PostgreSQL") }
            options.history = try dossierCount(path)
        }
        let backend = options.postgres ? "PostgreSQL" : "SQLite WAL, synchronous=FULL"
        print("interlink-bench years: \(options.newDossiers) new dossiers on an empty journal, then on one holding \(options.history) past dossiers (\(backend))")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; release build")

        let emptyBefore = try await sync(options, history: 0, before: { _ in }, after: { _ in })
        print("  empty journal: \(SyncBenchmark.format(emptyBefore.dossiersPerSecond)) dossiers/s, peak RSS \(SyncBenchmark.format(emptyBefore.peakRSSMB)) MB")
        var report = Report()
        let full = try await sync(options, history: options.history, before: { daemon in
            try await measureHistory(options, daemon: daemon, interlinkctl: interlinkctl, into: &report)
        }, after: { daemon in
            // A purge of every finished dossier left, as retention does, then what the journal weighs.
            let tools = OperatorTimings(interlinkctl: interlinkctl, configPath: daemon.configPath)
            report.purgeSeconds = try tools.time(["purge", "--older-than", "0s", "--reason", "years benchmark"]) / 1_000
            report.bytesAfter = try journalBytes(daemon)
        })
        // Once more on an empty journal: the big run sits between two, so a machine that sped
        // up or slowed down over the minutes the history took does not pass for the journal's cost.
        let emptyAfter = try await sync(options, history: 0, before: { _ in }, after: { _ in })
        let empty = [emptyBefore, emptyAfter]
        report.print(empty: empty, full: full, options: options)
        try report.write(empty: empty, full: full, options: options)
    }

    /// One sync of the new dossiers on a journal first given `history` past dossiers; `before`
    /// runs once the history is built, before the daemon starts, and `after` once it is done.
    private static func sync(_ options: Options, history: Int, before: (DaemonHarness) async throws -> Void,
                             after: (DaemonHarness) async throws -> Void) async throws -> DaemonRun {
        let directory = try TemporaryDirectory()
        let simulator = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(options.newDossiers), "--seed", "7", "--generated-from", "now"], in: directory)
        let journalSection = options.postgres ? try TestPostgres.fromEnvironment().freshJournal(in: directory, instanceTimeoutSeconds: 60) : nil
        defer { journalSection?.drop() }
        let daemon = try DaemonHarness(simulator: simulator, directory: directory, postgres: journalSection) { config in
            config.set(["log", "level"], "warning")
        }
        if history > 0, let source = options.historyFrom {
            // The file with its WAL, over whatever the harness left at the journal's path.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: daemon.journalPath + suffix) }
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
                try FileManager.default.copyItem(atPath: source + suffix, toPath: daemon.journalPath + suffix)
            }
            print("  history: copied from \(source)")
            try await before(daemon)
        } else if history > 0 {
            try await build(history: history, into: daemon.journal())
            try settle(daemon)
            try await before(daemon)
        }
        let run = try await DaemonRun.measure(daemon, simulator: simulator, dossiers: options.newDossiers)
        await simulator.stop()
        if history > 0 { try await after(daemon) }
        return run
    }

    /// How many dossiers a history journal holds (by their newest versions' outcomes).
    private static func dossierCount(_ path: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("--history-from: no journal at \(path)") }
        return Int(try SQLiteConnection(path: path).scalarInt("SELECT SUM(n) FROM tallies WHERE kind = 'dossier'") ?? 0)
    }

    /// The history alone, in a new SQLite journal at `path`: to profile the tools on it.
    static func buildHistory(dossiers: Int, at path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw UsageError("\(path) exists; --history-only writes a new journal") }
        try await build(history: dossiers, into: JournalFactory.open(.sqlite(path: path)))
        print("  journal: \(path) (interlinkctl --journal \(path) status)")
    }

    private static func build(history: Int, into journal: any Journal) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let shape = try await YearsHistory.build(dossiers: history, into: journal) { written in
            if written % 100_000 == 0 { print("  history: \(written) dossiers written, \(SyncBenchmark.format(ReliabilityScenarios.seconds(clock.now - started), digits: 0)) s") }
        }
        await journal.close()
        print("  history: \(shape.dossiers) dossiers, \(shape.transfers) transfers, \(shape.events) events, \(shape.writeBacks) write-backs, "
              + "\(shape.purged) purged, built in \(SyncBenchmark.format(ReliabilityScenarios.seconds(clock.now - started))) s")
    }

    /// The operators' view of the big journal, before the daemon adds to it.
    private static func measureHistory(_ options: Options, daemon: DaemonHarness, interlinkctl: String, into report: inout Report) async throws {
        let tools = OperatorTimings(interlinkctl: interlinkctl, configPath: daemon.configPath)
        let target = String(format: "Y%07d", options.history / 2)
        report.bytesBefore = try journalBytes(daemon)
        report.commands = try tools.timings([
            ("status", ["status"]), ("show CODE", ["show", target]), ("log --dossier CODE", ["log", "--dossier", target]),
            ("log --level warning --limit 100", ["log", "--level", "warning", "--limit", "100"]), ("dossiers --limit 100", ["dossiers", "--limit", "100"]),
            ("overdue", ["overdue"]), ("review", ["review"]),
        ])
        let verify = try tools.time(["audit", "verify"])
        report.verifySecondsPerMillionEvents = verify / 1_000 / (Double(options.history * YearsHistory.eventsPerDossier) / 1_000_000)
    }

    /// Leaves a PostgreSQL history as years of autovacuum would: vacuumed, with its planner
    /// statistics. Timed straight after the bulk load, the commands ran on tables without
    /// statistics while autovacuum worked through them, and measured the load, not the journal.
    private static func settle(_ daemon: DaemonHarness) throws {
        guard case .postgres(let settings) = daemon.journalConfig.backend else { return }
        let clock = ContinuousClock(), started = clock.now
        let connection = try PostgresConnection(conninfo: settings.conninfo, password: settings.password?.value)
        let tables = try connection.scalarString("""
            SELECT string_agg(quote_ident(c.relname), ', ' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
            """) ?? ""
        try connection.execute("VACUUM (ANALYZE) " + tables)
        print("  history: VACUUM (ANALYZE) in \(SyncBenchmark.format(ReliabilityScenarios.seconds(clock.now - started))) s, as autovacuum leaves a journal")
    }

    /// The journal's size on disk: the SQLite file and its WAL, or the PostgreSQL schema's
    /// tables with their indexes and TOAST.
    static func journalBytes(_ daemon: DaemonHarness) throws -> Int64 {
        guard case .postgres(let settings) = daemon.journalConfig.backend else {
            return Int64((FileBytes.size(daemon.journalPath) ?? 0) + (FileBytes.size(daemon.journalPath + "-wal") ?? 0))
        }
        let connection = try PostgresConnection(conninfo: settings.conninfo, password: settings.password?.value)
        return try connection.scalarInt("""
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')
            """) ?? 0
    }
}
