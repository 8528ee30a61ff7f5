import Dispatch
import Synchronization

/// The journal in one SQLite file (WAL, `synchronous=FULL`): the embedded single-node backend.
///
/// Two connections, each on its own serial dispatch queue: the writer and a read-only
/// reader. Under WAL a reader never waits for the writer, so the writer's queue spends its
/// time committing (and waiting for `fdatasync`) rather than answering queries. Callers
/// `await` results and never block the cooperative pool. Writes are group-committed:
/// batches that arrive while a transaction is being written are committed together in the
/// next one. What a batch means is decided by ``BatchWriter``; this type only runs SQL.
public final class SQLiteJournal: Journal, SQLReader {
    private struct PendingWrite: Sendable {
        let batch: JournalBatch
        let continuation: CheckedContinuation<Result<JournalBatchResult, JournalError>, Never>
    }

    private struct WriteQueue: ~Copyable {
        var pending: [PendingWrite] = []
        var drainScheduled = false
        var closed = false
    }

    private let queue = DispatchQueue(label: "interlink.journal")
    private let session: SQLiteSession
    private let readQueue = DispatchQueue(label: "interlink.journal.read")
    private let readSession: SQLiteSession
    private let writes = Mutex(WriteQueue())
    /// The database file.
    public let path: String

    /// Opens or creates the journal at `path` and applies pending migrations. Build it
    /// through ``JournalFactory`` rather than directly.
    init(path: String, busyTimeoutMs: Int = 5_000) throws(JournalError) {
        self.path = path
        let connection = try journaled { () throws(SQLiteError) in try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs) }
        try SQLiteMigrations.migrate(connection)
        session = SQLiteSession(connection: connection)
        // Opened after the migrations, so it never sees a half-built schema.
        readSession = SQLiteSession(connection: try journaled { () throws(SQLiteError) in
            try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs, readOnly: true)
        })
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
                    let connection = session.connection
                    try journaled { () throws(SQLiteError) in try connection.execute("BEGIN") }
                    defer { try? connection.execute("COMMIT") }
                    continuation.resume(returning: .success(try body(session)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Queues `batch` for the writer, which commits all pending batches in one transaction: see ``Journal/apply(_:)``.
    @discardableResult
    public func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult {
        let result: Result<JournalBatchResult, JournalError> = await withCheckedContinuation { continuation in
            let (accepted, schedule) = writes.withLock { writes -> (Bool, Bool) in
                guard !writes.closed else { return (false, false) }
                writes.pending.append(PendingWrite(batch: batch, continuation: continuation))
                defer { writes.drainScheduled = true }
                return (true, !writes.drainScheduled)
            }
            if !accepted {
                continuation.resume(returning: .failure(JournalError(code: .closed, message: "the journal \(path) is closed")))
            } else if schedule {
                queue.async { [self] in drainWrites() }
            }
        }
        return try result.get()
    }

    /// Commits everything pending in one transaction. If that fails, each batch is retried
    /// alone so one bad batch cannot fail the others.
    private func drainWrites() {
        let pending = writes.withLock { writes in
            defer {
                writes.pending.removeAll(keepingCapacity: true)
                writes.drainScheduled = false
            }
            return writes.pending
        }
        guard !pending.isEmpty else { return }
        switch transaction({ (statements, now) throws(JournalError) in
            try pending.map { (item) throws(JournalError) in try BatchWriter.write(item.batch, into: statements, now: now) }
        }) {
        case .success(let results):
            for (write, result) in zip(pending, results) { write.continuation.resume(returning: .success(result)) }
        case .failure(let error) where error.code == .busy:
            // Another process holds the write lock past the busy timeout: retrying each batch
            // alone would wait that long again for every one. Fail them together; callers retry.
            for write in pending { write.continuation.resume(returning: .failure(error)) }
        case .failure:
            for write in pending {
                write.continuation.resume(returning: transaction { (statements, now) throws(JournalError) in
                    try BatchWriter.write(write.batch, into: statements, now: now)
                })
            }
        }
    }

    /// One write transaction on the writer's session (called on its queue only). `BEGIN
    /// IMMEDIATE` takes the write lock up front, so a busy journal fails fast at the start.
    private func transaction<T>(_ body: (SQLiteStatements, Int64) throws(JournalError) -> T) -> Result<T, JournalError> {
        let connection = session.connection
        do throws(JournalError) {
            try journaled { () throws(SQLiteError) in try connection.execute("BEGIN IMMEDIATE") }
            do throws(JournalError) {
                let value = try body(SQLiteStatements(session: session), Timestamp.now().millisecondsSinceEpoch)
                try journaled { () throws(SQLiteError) in try connection.execute("COMMIT") }
                return .success(value)
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            return .failure(error)
        }
    }

    /// Refuses new batches, commits those pending, then checkpoints the WAL: see ``Journal/close()``.
    public func close() async {
        writes.withLock { $0.closed = true }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                drainWrites()
                try? session.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                continuation.resume()
            }
        }
    }
}
