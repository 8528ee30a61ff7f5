import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// libpq's pipeline mode on a journal connection.
///
/// A round trip to the server costs more than most journal statements take to run, and a
/// transaction holds its row locks (and, at its end, the audit chain's tip) for every round
/// trip it makes. So statements whose answer nobody needs at once (an UPDATE whose count
/// does not matter, an event row, BEGIN) are sent without waiting, and their answers are
/// read, in order, with the next statement whose answer is needed. A failure among them is
/// thrown there; the statements after it in the same segment were not run (the server
/// aborts the rest of a segment), and the transaction rolls back.
///
/// The connection is non-blocking, as libpq asks of pipelines: sending drains the server's
/// answers while it waits for the socket, so neither side can fill its buffers and stall.
enum PostgresPipeline {
    /// What the server owes the connection, in the order it answers.
    enum Owed {
        /// A statement's (or a PREPARE's) answer; its failure is thrown when `matters`, and
        /// its result returned when `kept`.
        case answer(sql: String, matters: Bool, kept: Bool)
        /// The end of a segment (`PQpipelineSync`).
        case sync
    }
}

extension PostgresConnection {
    func enterPipeline() throws(PostgresError) {
        guard PQenterPipelineMode(handle) == 1, PQsetnonblocking(handle, 1) == 0 else { throw failure(sql: nil) }
    }

    /// Sends `sql` with `values` without waiting for its answer, which the next ``query(_:_:)``
    /// (or ``settle()``) reads. `matters: false` for an answer whose failure changes nothing.
    func send(_ sql: String, _ values: [SQLValue], matters: Bool = true, kept: Bool = false) throws(PostgresError) {
        let name = try statementName(sql, parameters: values.count)
        let texts = values.map(Self.text)
        let sent = withOptionalCStrings(texts) { pointers in
            PQsendQueryPrepared(handle, name, Int32(texts.count), pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(sql: sql) }
        owed.append(.answer(sql: sql, matters: matters, kept: kept))
    }

    /// Ends the segment and sends everything, without waiting for the answers.
    func sendSync() throws(PostgresError) {
        guard PQpipelineSync(handle) == 1 else { throw failure(sql: nil) }
        owed.append(.sync)
        try flush()
    }

    /// Ends the segment and reads every answer owed; returns the results of the statements
    /// sent as `kept`, in order, or throws the first failure that matters.
    func awaitOwed() throws(PostgresError) -> [PostgresResult] {
        try sendSync()
        let (kept, firstFailure) = try readOwed()
        if let firstFailure { throw firstFailure }
        return kept
    }

    /// Runs `queries` in one round trip and returns their results, in order.
    func query(all queries: [(sql: String, values: [SQLValue])]) throws(PostgresError) -> [PostgresResult] {
        for query in queries { try send(query.sql, query.values, kept: true) }
        let results = try awaitOwed()
        guard results.count == queries.count else { throw PostgresError(sqlstate: nil, message: "the pipeline lost a result") }
        return results
    }

    /// Reads every answer owed, ignoring failures (they belong to a transaction being
    /// abandoned, or to a read's COMMIT); throws only when the connection is lost.
    func settle() throws(PostgresError) {
        guard let final = owed.last else { return }
        if case .answer = final { try sendSync() }
        _ = try readOwed()
    }

    /// Abandons the transaction: reads what is owed (the failure that ended it among them),
    /// then rolls back in a segment of its own, which nothing before it can abort.
    func rollback() throws(PostgresError) {
        try settle()
        _ = try query("ROLLBACK")
    }

    /// Reads the answers owed, in order: each statement's result and the NULL that ends it,
    /// each segment's sync. Returns the kept results and the first failure that matters (the
    /// statements after a failure in its segment come back aborted).
    private func readOwed() throws(PostgresError) -> (kept: [PostgresResult], firstFailure: PostgresError?) {
        let entries = owed
        owed.removeAll()
        var kept: [PostgresResult] = []
        var firstFailure: PostgresError?
        for entry in entries {
            guard let result = PQgetResult(handle) else { throw lost(during: entry) }
            switch entry {
            case .sync:
                let status = PQresultStatus(result)
                PQclear(result)
                guard status == PGRES_PIPELINE_SYNC else { throw lost(during: entry) }
            case .answer(let sql, let matters, let keep):
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    if keep { kept.append(PostgresResult(result)) } else { PQclear(result) }
                case PGRES_PIPELINE_ABORTED:
                    PQclear(result)
                default:
                    let error = failure(of: result, sql: sql)
                    PQclear(result)
                    if matters, firstFailure == nil { firstFailure = error }
                }
                // Each statement's results end with a NULL.
                while let extra = PQgetResult(handle) { PQclear(extra) }
            }
            if isBroken { throw lost(during: entry) }
        }
        return (kept, firstFailure)
    }

    private func lost(during entry: PostgresPipeline.Owed) -> PostgresError {
        owed.removeAll()
        if case .answer(let sql, _, _) = entry { return failure(sql: sql) }
        return failure(sql: nil)
    }

    /// Sends what libpq holds; while the socket is full it reads the server's answers, which
    /// is what frees the server to read more.
    private func flush() throws(PostgresError) {
        while true {
            switch PQflush(handle) {
            case 0: return
            case 1:
                var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 1_000)
                if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 { throw failure(sql: nil) }
            default: throw failure(sql: nil)
            }
        }
    }

    /// Whether the server closed this idle connection (a restart, a terminated session): what
    /// it sent is read without waiting, so a dead session is found before a transaction begins.
    var closedByServer: Bool {
        owed.isEmpty && (PQconsumeInput(handle) == 0 || isBroken)
    }
}
