import Foundation
public import Interlink

/// The PostgreSQL cluster `make test` starts (`.ci/postgres-cluster`), as its environment
/// describes it. Suites that need it fail without it: they are never skipped.
public struct TestPostgres: Sendable {
    /// The conninfo of the test role and database, without the password.
    public let conninfo: String
    /// The role's password.
    public let password: String
    /// The data directory and `pg_ctl`, for restarting the server.
    public let dataDirectory: String?
    public let pgCtl: String?

    /// The cluster from the environment.
    public static func fromEnvironment() throws -> TestPostgres {
        let environment = ProcessInfo.processInfo.environment
        guard let conninfo = environment["INTERLINK_TEST_POSTGRES"], let file = environment["INTERLINK_TEST_POSTGRES_PASSWORD_FILE"] else {
            throw HarnessError("no test PostgreSQL: run the tests with `make test`, which starts one (.ci/postgres-cluster run -- swift test)")
        }
        let password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return TestPostgres(conninfo: conninfo, password: password, dataDirectory: environment["INTERLINK_TEST_POSTGRES_DATA"],
                            pgCtl: environment["INTERLINK_TEST_PG_CTL"])
    }

    /// A fresh, empty schema of its own, for one journal: its conninfo and a way to drop it.
    public func freshSchema() throws -> (conninfo: String, drop: @Sendable () -> Void) {
        let schema = "j_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresConnection(conninfo: conninfo, password: password).execute("CREATE SCHEMA \(schema)")
        let (base, password) = (conninfo, password)
        return (conninfo + " application_name=\(schema) options='-c search_path=\(schema)'", {
            try? PostgresConnection(conninfo: base, password: password).execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        })
    }
}

/// A PostgreSQL journal in a schema of its own, for daemons: the config section that names it
/// (with a password file), and a way to drop it.
public struct TestPostgresJournal: Sendable {
    /// `journal.postgres` as the daemons' config says it.
    public let section: JSONValue
    /// The same journal, for opening it from the test.
    public let config: JournalConfig
    /// Drops the schema.
    public let drop: @Sendable () -> Void
}

extension TestPostgres {
    /// A fresh journal schema, with its password in a 0600 file in `directory`.
    public func freshJournal(in directory: TemporaryDirectory, instanceTimeoutSeconds: Int = 15) throws -> TestPostgresJournal {
        let (conninfo, drop) = try freshSchema()
        let passwordFile = try directory.write("postgres.password", password + "\n")
        chmod(passwordFile, 0o600)
        return TestPostgresJournal(section: ["postgres": ["conninfo": .string(conninfo), "passwordFile": .string(passwordFile),
                                                          "instanceTimeoutSeconds": .number(Double(instanceTimeoutSeconds))]],
                                   config: JournalConfig(backend: .postgres(PostgresJournalConfig(conninfo: conninfo,
                                                                                                  password: Secret(value: password, source: "test"),
                                                                                                  instanceTimeoutSeconds: instanceTimeoutSeconds))),
                                   drop: drop)
    }
}

/// A PostgreSQL journal in a schema of its own, dropped when closed.
public final class PostgresJournalFixture: JournalFixture {
    public let journal: any Journal
    public let config: JournalConfig
    private let drop: @Sendable () -> Void
    private let password: String

    public init() throws {
        let server = try TestPostgres.fromEnvironment()
        let (conninfo, drop) = try server.freshSchema()
        self.drop = drop
        password = server.password
        config = JournalConfig(backend: .postgres(PostgresJournalConfig(conninfo: conninfo,
                                                                        password: Secret(value: server.password, source: "test"))))
        journal = try JournalFactory.open(config)
    }

    public func execute(_ sql: String) throws {
        guard case .postgres(let postgres) = config.backend else { return }
        try PostgresConnection(conninfo: postgres.conninfo, password: password).execute(sql)
    }

    /// Ends every server session of this journal (as a server restart or an administrator would).
    public func terminateSessions() throws {
        guard case .postgres(let postgres) = config.backend, let name = postgres.conninfo.split(separator: " ").first(where: { $0.hasPrefix("application_name=") })
        else { return }
        let server = try TestPostgres.fromEnvironment()
        try PostgresConnection(conninfo: server.conninfo, password: password)
            .execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name.dropFirst("application_name=".count))'")
    }

    public func setSchemaVersion(_ version: Int) throws {
        try execute("UPDATE interlink_schema SET version = \(version)")
    }

    public func close() async {
        await journal.close()
        drop()
    }
}
