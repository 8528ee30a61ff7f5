/// Where the journal lives: the config's `journal` section.
public struct JournalConfig: Sendable, Hashable, CustomStringConvertible {
    /// The backend and how to reach it.
    public enum Backend: Sendable, Hashable {
        /// The embedded single-node journal: one SQLite file.
        case sqlite(path: String, busyTimeoutMs: Int)
        /// A PostgreSQL database shared by every node.
        case postgres(PostgresJournalConfig)
    }

    /// The backend and how to reach it.
    public var backend: Backend

    /// A journal of the given backend.
    public init(backend: Backend) {
        self.backend = backend
    }

    /// The SQLite journal at `path`.
    public static func sqlite(path: String, busyTimeoutMs: Int = 5_000) -> JournalConfig {
        JournalConfig(backend: .sqlite(path: path, busyTimeoutMs: busyTimeoutMs))
    }

    /// Where the journal is, for people: the SQLite file's path, or the conninfo (never with a password).
    public var description: String {
        switch backend {
        case .sqlite(let path, _): path
        case .postgres(let postgres): "postgres: \(postgres.conninfo)"
        }
    }

    /// Whether one daemon at most may run on it (SQLite: its lock file enforces it).
    public var servesOneDaemon: Bool {
        if case .sqlite = backend { true } else { false }
    }

    /// A node whose heartbeat is older than this is dead: its claims and leases are taken over.
    public var instanceTimeoutSeconds: Int {
        switch backend {
        case .sqlite: 15
        case .postgres(let postgres): postgres.instanceTimeoutSeconds
        }
    }

    /// `$STATE_DIRECTORY/journal.sqlite` (the first directory systemd gives), else
    /// `/var/lib/interlink/journal.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        let stateDirectory = environment["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) }
        return (stateDirectory ?? "/var/lib/interlink") + "/journal.sqlite"
    }

    init(reading object: ConfigObjectReader?, environment: [String: String], secrets: SecretResolver, collector: IssueCollector) {
        if let postgres = object?.object("postgres") {
            if object?.has("path") == true { object?.report("path", "choose one journal: path (SQLite) or postgres, not both") }
            _ = object?.value("busyTimeoutMs")
            object?.finish()
            self.init(backend: .postgres(PostgresJournalConfig(reading: postgres, environment: environment, secrets: secrets, collector: collector)))
            return
        }
        let path = object?.optionalString("path") ?? Self.defaultPath(environment: environment)
        let busy = object?.int("busyTimeoutMs", default: 5_000, in: 0...600_000) ?? 5_000
        object?.finish()
        self = .sqlite(path: path, busyTimeoutMs: busy)
    }
}

/// A PostgreSQL journal: `journal.postgres` in the config.
public struct PostgresJournalConfig: Sendable, Hashable {
    /// The libpq conninfo, e.g. `host=db.example port=5432 dbname=interlink user=interlink
    /// sslmode=verify-full sslrootcert=/etc/interlink/db-ca.pem`. Never a password.
    public var conninfo: String
    /// The role's password, from `passwordFile` (a file or systemd credential); nil for
    /// certificate or peer authentication.
    public var password: Secret?
    /// A daemon whose heartbeat is older than this is dead: its claims and leases are taken over.
    public var instanceTimeoutSeconds: Int

    /// A config for `conninfo`, as tests and tools build one.
    public init(conninfo: String, password: Secret?, instanceTimeoutSeconds: Int = 15) {
        self.conninfo = conninfo
        self.password = password
        self.instanceTimeoutSeconds = instanceTimeoutSeconds
    }

    init(reading object: ConfigObjectReader, environment: [String: String], secrets: SecretResolver, collector: IssueCollector) {
        conninfo = object.string("conninfo") ?? ""
        if !conninfo.isEmpty, let problem = PostgresConninfo.problem(conninfo) { object.report("conninfo", problem) }
        password = object.optionalString("passwordFile").flatMap { secrets.read($0, at: object.path.appending("passwordFile"), collector: collector) }
        if password == nil, environment["PGPASSWORD"] != nil {
            object.report("passwordFile", "PGPASSWORD is set in the environment; the journal's password comes only from passwordFile or a "
                          + "systemd credential: unset PGPASSWORD")
        }
        instanceTimeoutSeconds = object.int("instanceTimeoutSeconds", default: 15, in: 5...3_600)
        object.finish()
    }
}
