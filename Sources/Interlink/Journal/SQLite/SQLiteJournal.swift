import Dispatch
import Synchronization

/// The SQLite connection and its statement cache, used only on the journal's serial queue.
final class SQLiteSession: @unchecked Sendable {
    // @unchecked: every access happens on SQLiteJournal.queue, which is serial.
    let connection: SQLiteConnection
    private var statements: [String: SQLiteStatement] = [:]

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// A cached prepared statement for `sql`.
    func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }
}

/// The journal in one SQLite file (WAL, `synchronous=FULL`).
///
/// Two connections, each on its own serial dispatch queue: the writer and a read-only
/// reader. Under WAL a reader never waits for the writer, so the writer's queue spends its
/// time committing (and waiting for `fdatasync`) rather than answering queries. Callers
/// `await` results and never block the cooperative pool. Writes are group-committed:
/// batches that arrive while a transaction is being written are committed together in the
/// next one.
public final class SQLiteJournal: Journal {
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
    public let path: String

    /// Opens or creates the journal and applies pending migrations.
    public init(path: String, busyTimeoutMs: Int = 5_000) throws(JournalError) {
        self.path = path
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs)
        } catch {
            throw JournalError(error)
        }
        try SQLiteMigrations.migrate(connection)
        session = SQLiteSession(connection: connection)
        do {
            // Opened after the migrations, so it never sees a half-built schema.
            readSession = SQLiteSession(connection: try SQLiteConnection(path: path, busyTimeoutMs: busyTimeoutMs, readOnly: true))
        } catch {
            throw JournalError(error)
        }
    }

    /// Runs `body` on the writer's queue with its connection: for work that writes.
    func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteSession) throws(SQLiteError) -> T) async throws(JournalError) -> T {
        try await run(body, on: queue, session: session)
    }

    /// Runs `body` on the reader's queue, in one read transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteSession) throws(SQLiteError) -> T) async throws(JournalError) -> T {
        try await run({ session throws(SQLiteError) in try session.connection.readTransaction { () throws(SQLiteError) in try body(session) } },
                      on: readQueue, session: readSession)
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteSession) throws(SQLiteError) -> T, on queue: DispatchQueue,
                                  session: SQLiteSession) async throws(JournalError) -> T {
        let result: Result<T, JournalError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(SQLiteError) {
                    continuation.resume(returning: .success(try body(session)))
                } catch {
                    continuation.resume(returning: .failure(JournalError(error)))
                }
            }
        }
        return try result.get()
    }

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
        do {
            let results = try session.connection.transaction { () throws(SQLiteError) in
                try pending.map { (item) throws(SQLiteError) -> JournalBatchResult in try self.write(item.batch, in: session) }
            }
            for (write, result) in zip(pending, results) { write.continuation.resume(returning: .success(result)) }
        } catch let error where error.isBusy {
            // Another process holds the write lock past the busy timeout: retrying each batch
            // alone would wait that long again for every one. Fail them together; callers retry.
            for write in pending { write.continuation.resume(returning: .failure(JournalError(error))) }
        } catch {
            for write in pending {
                do throws(SQLiteError) {
                    let result = try session.connection.transaction { () throws(SQLiteError) in try self.write(write.batch, in: session) }
                    write.continuation.resume(returning: .success(result))
                } catch {
                    write.continuation.resume(returning: .failure(JournalError(error)))
                }
            }
        }
    }

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
