import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The journal in one SQLite file (WAL, `synchronous=FULL`): the embedded single-node backend.
///
/// Two connections, each on its own serial dispatch queue: the writer and a read-only
/// reader. Under WAL a reader never waits for the writer, so the writer's queue spends its
/// time committing (and waiting for `fdatasync`) rather than answering queries. Callers
/// `await` results and never block the cooperative pool. Writes are group-committed:
/// batches that arrive while a transaction is being written are committed together in the
/// next one. What a batch means is decided by ``BatchWriter``; this type only runs SQL.
final class SQLiteJournal: Journal, SQLReader, SQLWriter {
    private let session: SQLiteSession
    private let readQueue = DispatchQueue(label: "interlink.journal.read")
    private let readSession: SQLiteSession
    let writer: GroupCommit<SQLiteStatements>
    /// The database file.
    let path: String

    /// Opens or creates the journal at `path` and applies pending migrations. Build it
    /// through ``JournalFactory`` rather than directly.
    /// With `readOnly`, nothing is created or migrated and every write fails as read-only:
    /// how operators read a journal file (or mount) they may not write.
    init(path: String, busyTimeoutMs: Int = 5_000, readOnly: Bool = false) throws(JournalError) {
        self.path = path
        let immutable = readOnly && Self.needsImmutableOpen(path)
        let connection = try journaled { () throws(SQLiteError) in
            try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs, readOnly: readOnly, immutable: immutable)
        }
        if readOnly {
            try SQLiteMigrations.requireCurrent(connection)
        } else {
            try SQLiteMigrations.migrate(connection)
        }
        let session = SQLiteSession(connection: connection)
        self.session = session
        // One writer at a time holds the whole file: nothing to lock row by row.
        writer = GroupCommit(queue: DispatchQueue(label: "interlink.journal"), name: path) { _, body in
            Self.transaction(session: session, body)
        }
        // Opened after the migrations, so it never sees a half-built schema.
        readSession = SQLiteSession(connection: try journaled { () throws(SQLiteError) in
            try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs, readOnly: true, immutable: immutable)
        })
    }

    /// A read-only journal whose directory will not take SQLite's `-shm` (a read-only mount,
    /// an operator without write access) can still be read as it stands, when it has no
    /// uncheckpointed WAL: nobody is writing it. With a live WAL the plain read-only open
    /// is tried, and its error says what to change.
    private static func needsImmutableOpen(_ path: String) -> Bool {
        let shmUsable = FileBytes.exists(path + "-shm") || access(FileBytes.directory(of: path), W_OK) == 0
        let walEmpty = (FileBytes.size(path + "-wal") ?? 0) == 0
        return !shmUsable && walEmpty
    }

    /// Which SQL the shared reads use.
    var dialect: SQLDialect { .sqlite }

    /// Runs `body` on the reader's queue, in one read transaction, so its queries see one
    /// snapshot even while the writer commits between them.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteSession) throws(JournalError) -> T) async throws(JournalError) -> T {
        let session = readSession
        let result: Result<T, JournalError> = await withCheckedContinuation { continuation in
            readQueue.async {
                do throws(JournalError) {
                    try journaled { () throws(SQLiteError) in try session.statement("BEGIN").run() }
                    defer { try? session.statement("COMMIT").run() }
                    continuation.resume(returning: .success(try body(session)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }


    /// One write transaction on the writer's session (called on its queue only). `BEGIN
    /// IMMEDIATE` takes the write lock up front, so a busy journal fails fast at the start.
    /// BEGIN and COMMIT are prepared once, like every other statement: parsing them again for
    /// every transaction was a measurable part of the daemon's CPU.
    private static func transaction<T>(session: SQLiteSession, _ body: (SQLiteStatements, Int64) throws(JournalError) -> T) -> Result<T, JournalError> {
        let connection = session.connection
        do throws(JournalError) {
            try journaled { () throws(SQLiteError) in try session.statement("BEGIN IMMEDIATE").run() }
            do throws(JournalError) {
                let value = try body(SQLiteStatements(session: session), Timestamp.now().millisecondsSinceEpoch)
                try journaled { () throws(SQLiteError) in try session.statement("COMMIT").run() }
                return .success(value)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            return .failure(error)
        }
    }

    /// None: one daemon writes a SQLite journal, and tools poll it: see ``Journal/notifications(_:)``.
    func notifications(_ channels: Set<JournalChannel>) -> AsyncStream<JournalChannel>? {
        nil
    }

    /// Rewrites the database (VACUUM), then checkpoints the WAL into the file and truncates
    /// it: see ``Journal/scrub()``. VACUUM runs on the writer's queue, so the daemon's own
    /// writes wait for it; the checkpoint runs on a connection of its own (it cannot run
    /// inside the writer's transactions), waiting out readers a few times.
    func scrub() async throws(JournalError) {
        let session = self.session
        try await writer.outsideTransaction { () -> Result<Void, JournalError> in
            Result { () throws(JournalError) in try journaled { () throws(SQLiteError) in try session.connection.execute("VACUUM") } }
        }
        let path = self.path
        let result: Result<Void, JournalError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "interlink.journal.scrub").async {
                do throws(JournalError) {
                    let connection = try journaled { () throws(SQLiteError) in try SQLiteConnection(path: path, busyTimeoutMs: 5_000) }
                    for attempt in 1...10 {
                        let busy = try journaled { () throws(SQLiteError) in
                            let statement = try connection.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
                            return try statement.step() && statement.int64(0) != 0
                        }
                        if !busy { return continuation.resume(returning: .success(())) }
                        usleep(UInt32(20_000 * attempt))
                    }
                    continuation.resume(returning: .failure(JournalError(code: .busy, message: "the WAL of \(path) could not be checkpointed: "
                                                                          + "readers kept it busy; the erased bytes leave at the next checkpoint")))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    /// Refuses new batches, commits those pending, then checkpoints the WAL: see ``Journal/close()``.
    func close() async {
        let session = self.session
        await writer.close { try? session.connection.execute("PRAGMA wal_checkpoint(PASSIVE)") }
    }
}
