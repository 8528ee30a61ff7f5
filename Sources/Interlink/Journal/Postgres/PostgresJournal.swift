import Dispatch

/// The journal in PostgreSQL, shared by every daemon of a province.
///
/// Like the SQLite journal it has a writer and a reader, each its own connection on its own
/// serial queue (libpq connections are not shared between threads), and writes are group
/// committed. What a batch means is decided by ``BatchWriter``; this type only runs SQL.
final class PostgresJournal: Journal, SQLReader, SQLWriter {
    private let writeSession: PostgresSession
    private let readSession: PostgresSession
    private let readQueue: DispatchQueue
    private let listener: PostgresListener
    let writer: GroupCommit<PostgresStatements>
    /// The conninfo, for people (it never carries the password).
    let conninfo: String

    /// Connects, migrating the schema (once for N daemons starting at once). Build it through
    /// ``JournalFactory`` rather than directly.
    ///
    /// With `oneConnection`, reads and writes share one connection and one serial queue: an
    /// operator's command does a read or two, and a second connection would cost it another
    /// SCRAM handshake (about 15 ms of PBKDF2) for nothing. The daemon reads while it writes,
    /// so it keeps two.
    init(conninfo: String, password: String?, oneConnection: Bool = false) throws(JournalError) {
        self.conninfo = conninfo
        listener = PostgresListener(conninfo: conninfo, password: password)
        let connect = { () throws(JournalError) -> PostgresConnection in
            try postgres { () throws(PostgresError) in try PostgresConnection(pipelinedTo: conninfo, password: password) }
        }
        let writing = try connect()
        try PostgresMigrations.migrate(writing)
        let session = PostgresSession(connection: writing)
        writeSession = session
        let writeQueue = DispatchQueue(label: "interlink.journal.postgres")
        readSession = oneConnection ? session : PostgresSession(connection: try connect())
        readQueue = oneConnection ? writeQueue : DispatchQueue(label: "interlink.journal.postgres.read")
        writer = GroupCommit(queue: writeQueue, name: conninfo) { locks, body in
            Self.transaction(session: session, locking: locks, body)
        }
    }

    /// Which SQL the shared reads use.
    var dialect: SQLDialect { .postgres }

    /// Runs `body` on the reader's queue, in one read-only transaction (one snapshot).
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws(JournalError) -> T) async throws(JournalError) -> T {
        let session = readSession
        let result: Result<T, JournalError> = await withCheckedContinuation { continuation in
            readQueue.async {
                continuation.resume(returning: Result { () throws(JournalError) in
                    try session.transaction("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", readOnly: true) { _ throws(JournalError) in try body(session) }
                })
            }
        }
        return try result.get()
    }


    /// One write transaction on the writer's connection (called on its queue only). The
    /// dossiers it changes are locked first, in one order (see ``BatchWriter/dossierLocks(_:)``);
    /// its events join the one chain last, just before COMMIT (see ``PostgresStatements``).
    private static func transaction<T>(session: PostgresSession, locking locks: Set<String>,
                                       _ body: (PostgresStatements, Int64) throws(JournalError) -> T) -> Result<T, JournalError> {
        Result { () throws(JournalError) in
            try session.transaction { connection throws(JournalError) in
                let statements = PostgresStatements(connection: connection)
                try statements.lockDossiers(locks)
                let value = try body(statements, Timestamp.now().millisecondsSinceEpoch)
                try statements.appendPendingEvents()
                return value
            }
        }
    }

    /// LISTEN/NOTIFY hints from every daemon: see ``Journal/notifications(_:)``.
    func notifications(_ channels: Set<JournalChannel>) -> AsyncStream<JournalChannel>? {
        listener.subscribe(channels)
    }

    /// Refuses new batches, commits those pending and stops listening: see ``Journal/close()``.
    /// Nothing here: an UPDATE leaves the old row version until VACUUM reclaims it (see the
    /// README's "Personal data" for the `VACUUM` an administrator runs after a purge).
    func scrub() async throws(JournalError) {}

    func close() async {
        listener.stop()
        await writer.close()
    }
}
