import Interlink

/// `interlinkctl migrate-journal --to-postgres`: from one node to several.
enum MigrateJournalCommand: CtlCommand {
    static let name = "migrate-journal"
    static let summary = "copy a SQLite journal into PostgreSQL"
    static let help = """
        Usage: interlinkctl migrate-journal --to-postgres --config PATH [--journal SQLITE_PATH] [--json]

        Copies every row of the SQLite journal (--journal, else $STATE_DIRECTORY/journal.sqlite, else
        /var/lib/interlink/journal.sqlite) into the PostgreSQL journal that the config's journal.postgres
        names, in one transaction: dossiers, transfers (with their ids), write-backs, the register cursor,
        and every event with its hash. Then verifies the audit chain on PostgreSQL: it must hold and end
        at the SQLite journal's tip, which is printed.

        Stop interlinkd first: the copy takes the SQLite journal's daemon lock and is refused (exit 75)
        while a daemon runs on it. The PostgreSQL journal must hold no dossiers or events yet. The SQLite
        file is only read; keep it as the way back until the nodes run well, then delete it (it holds
        personal data).
        Exit status: 0 copied and verified, 1 the copy's chain does not verify, 66 no SQLite journal,
        74 a database error, 75 a daemon runs on the SQLite journal or PostgreSQL is unreachable,
        78 the config names no PostgreSQL journal or PostgreSQL refused the credentials.

        Examples:
          interlinkctl migrate-journal --to-postgres --config /etc/interlink/interlink.json
          interlinkctl migrate-journal --to-postgres --config /etc/interlink/interlink.json --journal /var/lib/interlink/journal.sqlite
        """

    static let flags: Set<String> = ["to-postgres"]
    static let options: Set<String> = []

    static func run(_ context: Context) async throws -> Int32 {
        guard context.options.has("to-postgres") else { throw UsageError("say where to: --to-postgres") }
        guard context.options.value("config") != nil else { throw UsageError("--config names the config whose journal.postgres receives the copy") }
        let source = context.options.value("journal") ?? JournalConfig.defaultPath(environment: context.environment)
        let target: PostgresJournalConfig
        do {
            let settings = try OperatorSettings.load(journal: nil, config: context.options.value("config"), environment: context.environment)
            guard case .postgres(let postgres) = settings.journal.backend else {
                throw CommandFailure(status: Exit.config, message: "the config's journal is SQLite; set journal.postgres (see the README, Two or more nodes)")
            }
            target = postgres
        } catch let error as ConfigError {
            throw CommandFailure(status: Exit.config, message: error.description)
        }
        let report: JournalCopy.Report
        do {
            report = try JournalCopy.sqliteToPostgres(from: source, to: target) { table, rows in
                if !context.json, rows % 10_000 == 0 { context.print("  \(table): \(rows) rows…") }
            }
        } catch {
            throw CommandFailure(status: status(for: error), message: "cannot copy \(source) into PostgreSQL: \(error)")
        }
        let journal = try context.open(JournalConfig(backend: .postgres(target)))
        let verification = try await AuditChain.verify(journal, recordedTip: report.tip.hash)
        await journal.close()
        let ok = verification.firstBreak == nil && verification.tip == report.tip
        let tip = SHA256.hex(report.tip.hash)
        if context.json {
            context.printJSON(["rows": .object(Dictionary(uniqueKeysWithValues: report.rows.map { ($0.table, JSONValue.number(Double($0.count))) })),
                               "tip": .string(tip), "tipSequence": .number(Double(report.tip.sequence)), "verified": .bool(ok)])
        } else {
            // As wide as the longest table name: `incident_dossiers` ran into its count at 16.
            let width = (report.rows.map(\.table.count).max() ?? 0) + 2
            for (table, count) in report.rows { context.print("\(Table.pad(table, width))\(count) rows") }
            context.print(ok ? "audit chain ok on PostgreSQL: \(verification.events) events; tip \(tip), the SQLite journal's"
                : "audit chain on PostgreSQL does NOT verify (\(verification.firstBreak?.description ?? "it ends elsewhere")); do not start the daemons on it")
        }
        return ok ? Exit.ok : Exit.problems
    }

    /// As the daemon exits for the same failure, but 66 when there is no SQLite journal at all.
    private static func status(for error: JournalError) -> Int32 {
        error.code == .missing ? Exit.noJournal : Daemon.exitStatus(for: error)
    }
}
