/// `interlinkd --check-config --connect`: reaches the journal the config names without
/// changing it (no migration, no instance row) and says what a start would find: the server,
/// whether the connection is encrypted, the schema version against this binary's, and who
/// is running on it. Its exit status is the one the daemon would exit with.
public enum JournalProbe: Sendable {
    /// What the probe found, one fact per line, and the exit status.
    public struct Report: Sendable {
        /// The facts, in order; the last says what a start would do.
        public var lines: [String] = []
        /// 0 when a daemon could start on this journal; else what ``Daemon/exitStatus(for:)`` gives.
        public var exitStatus: Int32 = 0
    }

    /// Probes the journal `config` names.
    public static func run(_ config: JournalConfig) -> Report {
        var report = Report()
        do throws(JournalError) {
            switch config.backend {
            case .sqlite(let path, _): try sqlite(path: path, into: &report)
            case .postgres(let settings): try probePostgres(settings, into: &report)
            }
        } catch {
            report.lines.append("journal: \(error)")
            report.exitStatus = Daemon.exitStatus(for: error)
        }
        return report
    }

    private static func sqlite(path: String, into report: inout Report) throws(JournalError) {
        guard FileBytes.exists(path) else {
            report.lines.append("journal: \(path) does not exist yet; the daemon creates it at start")
            return
        }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, readOnly: true)
        } catch {
            throw JournalError(error)
        }
        let version = Int((try? connection.scalarInt("PRAGMA user_version")) ?? 0)
        report.lines.append("journal: SQLite \(path)")
        try schema(version, latest: SQLiteMigrations.latestVersion, into: &report)
        do {
            let lock = try SQLiteDaemonLock.take(journalPath: path)
            withExtendedLifetime(lock) { report.lines.append("daemon: none runs on it now") }
        } catch where error.code == .inUse {
            // Not a failure of the config: a restart replaces that daemon.
            report.lines.append("daemon: \(error.message); a second one would be refused")
        }
    }

    private static func probePostgres(_ settings: PostgresJournalConfig, into report: inout Report) throws(JournalError) {
        let connection = try postgres { () throws(PostgresError) in try PostgresConnection(conninfo: settings.conninfo, password: settings.password?.value) }
        let facts = try postgres { () throws(PostgresError) -> [String] in
            try connection.query("""
                SELECT current_setting('server_version'), current_user, current_database(),
                    COALESCE((SELECT ssl::text || ' ' || COALESCE(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()), 'false'),
                    COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false)
                """).rows { row in (0..<5).map { row.string(Int32($0)) } }.first ?? []
        }
        guard facts.count == 5 else { throw JournalError(code: .storage, message: "PostgreSQL answered the probe with nothing") }
        let tls = facts[3].hasPrefix("true") ? "encrypted (\(facts[3].dropFirst(5)))" : "NOT encrypted: set sslmode=verify-full in the conninfo"
        report.lines.append("journal: PostgreSQL \(facts[0]), database \(facts[2]) as \(facts[1]), \(tls)")
        let version = try PostgresMigrations.version(of: connection)
        try schema(version, latest: PostgresMigrations.latestVersion, into: &report)
        if version < PostgresMigrations.latestVersion, facts[4] != "t" {
            throw JournalError(code: .readOnly, message: "the role \(facts[1]) may not create tables in \(facts[2]), so the schema cannot be migrated; "
                + "grant it CREATE on the schema, or migrate once as the owner")
        }
        guard version > 0 else { return }
        let instances = try postgres { () throws(PostgresError) -> [String] in
            try connection.query("SELECT id FROM instances WHERE stopped_at IS NULL AND heartbeat_at >= ?",
                                 [.integer(Timestamp.now().millisecondsSinceEpoch - Int64(settings.instanceTimeoutSeconds) * 1_000)]).rows { $0.string(0) }
        }
        report.lines.append("daemons: \(instances.isEmpty ? "none running" : "\(instances.count) running: " + instances.joined(separator: ", "))")
    }

    private static func schema(_ version: Int, latest: Int, into report: inout Report) throws(JournalError) {
        guard version <= latest else {
            throw JournalError(code: .schemaTooNew, message: "schema version \(version), but this Interlink knows only up to \(latest); "
                + "upgrade Interlink or restore a journal backup")
        }
        report.lines.append(version == latest ? "schema: version \(version), current"
            : version == 0 ? "schema: none yet; the first daemon creates it (version \(latest))"
            : "schema: version \(version); the next start migrates it to \(latest)")
    }
}
