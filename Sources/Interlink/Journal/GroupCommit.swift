import Dispatch
import Synchronization

/// The writer every backend uses: batches that arrive while a transaction is being written
/// are committed together in the next one, on the writer's own serial queue, so callers
/// share commits (and their `fsync`) instead of queueing for one each.
///
/// If the shared transaction fails, each batch is retried alone, so one bad batch cannot
/// fail the others; but when the database is busy or unreachable they fail together, since
/// each would only wait as long again. Callers `await` and never block the cooperative pool.
final class GroupCommit<Statements>: Sendable {
    /// One piece of work in the shared transaction: a batch, a claim, a lease.
    typealias Work = @Sendable (Statements, Int64) throws(JournalError) -> any Sendable
    /// The backend's part: opens a transaction on the writer's connection, locks the dossiers
    /// named in `locks` first (where writers of several daemons share the journal), runs
    /// `body` with its statements and the transaction's time, and commits (or rolls back when
    /// it throws).
    typealias Transaction = @Sendable (_ locks: Set<String>, _ body: (Statements, Int64) throws(JournalError) -> [any Sendable])
        -> Result<[any Sendable], JournalError>

    private struct PendingWrite: Sendable {
        let work: Work
        let locks: Set<String>
        let continuation: CheckedContinuation<Result<any Sendable, JournalError>, Never>
    }

    private struct WriteQueue: ~Copyable {
        var pending: [PendingWrite] = []
        var drainScheduled = false
        var closed = false
    }

    private let queue: DispatchQueue
    private let name: String
    private let transaction: Transaction
    private let writes = Mutex(WriteQueue())

    /// A writer on `queue` for the journal `name` (for the closed message).
    init(queue: DispatchQueue, name: String, transaction: @escaping Transaction) {
        self.queue = queue
        self.name = name
        self.transaction = transaction
    }

    /// Queues `work`, which changes the dossiers named in `locks`, and returns once the
    /// transaction holding it committed (or failed).
    func perform<T: Sendable>(locking locks: Set<String> = [], _ work: @escaping @Sendable (Statements, Int64) throws(JournalError) -> T) async throws(JournalError) -> T {
        let result: Result<any Sendable, JournalError> = await withCheckedContinuation { continuation in
            let (accepted, schedule) = writes.withLock { writes -> (Bool, Bool) in
                guard !writes.closed else { return (false, false) }
                writes.pending.append(PendingWrite(work: { (statements, now) throws(JournalError) in try work(statements, now) }, locks: locks,
                                                   continuation: continuation))
                defer { writes.drainScheduled = true }
                return (true, !writes.drainScheduled)
            }
            if !accepted {
                continuation.resume(returning: .failure(JournalError(code: .closed, message: "the journal \(name) is closed")))
            } else if schedule {
                queue.async { [self] in drain() }
            }
        }
        // Each work's result is the type it returned.
        return try result.get() as! T  // swiftlint:disable:this force_cast
    }

    /// Commits what is pending, then runs `body` on the writer's queue outside any transaction
    /// (what SQLite cannot do inside one, such as VACUUM): the writes queued meanwhile wait
    /// for it instead of failing as busy.
    func outsideTransaction<T: Sendable>(_ body: @escaping @Sendable () -> Result<T, JournalError>) async throws(JournalError) -> T {
        let result: Result<T, JournalError> = await withCheckedContinuation { continuation in
            queue.async { [self] in
                drain()
                continuation.resume(returning: body())
            }
        }
        return try result.get()
    }

    /// Refuses new work, commits what is pending, then runs `finally` on the writer's queue.
    func close(finally: @escaping @Sendable () -> Void = {}) async {
        writes.withLock { $0.closed = true }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                drain()
                finally()
                continuation.resume()
            }
        }
    }

    /// Commits everything pending in one transaction (on the writer's queue).
    private func drain() {
        let pending = writes.withLock { writes in
            defer {
                writes.pending.removeAll(keepingCapacity: true)
                writes.drainScheduled = false
            }
            return writes.pending
        }
        guard !pending.isEmpty else { return }
        switch transaction(pending.reduce(into: Set<String>()) { $0.formUnion($1.locks) }, { (statements, now) throws(JournalError) in
            try pending.map { (write) throws(JournalError) in try write.work(statements, now) }
        }) {
        case .success(let results):
            for (write, result) in zip(pending, results) { write.continuation.resume(returning: .success(result)) }
        case .failure(let error) where error.code == .busy || error.code == .unavailable:
            for write in pending { write.continuation.resume(returning: .failure(error)) }
        case .failure:
            for write in pending {
                write.continuation.resume(returning: transaction(write.locks) { (statements, now) throws(JournalError) in [try write.work(statements, now)] }.map { $0[0] })
            }
        }
    }
}

extension GroupCommit where Statements: JournalStatements {
    /// Queues `batch` and returns once the transaction holding it committed (or failed).
    func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult {
        try await perform(locking: BatchWriter.dossierLocks(batch)) { (statements, now) throws(JournalError) in
            try BatchWriter.write(batch, into: statements, now: now)
        }
    }
}
