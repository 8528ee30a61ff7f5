/// A PostgreSQL connection confined to one serial queue, and how it comes back after the
/// server went away: it reconnects on next use, at most once per backoff interval (doubling
/// to 5 s), and fails fast as `unavailable` in between, so callers retry on their own schedule.
final class PostgresSession: @unchecked Sendable, SQLReadSession {
    // @unchecked: every access happens on the one serial queue that owns the session.
    private(set) var connection: PostgresConnection
    private var nextAttempt = ContinuousClock.now
    private var backoff = Duration.milliseconds(100)

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The connection, reconnected first if the server went away (or `closed` says it did).
    func ready(closed: Bool = false) throws(JournalError) -> PostgresConnection {
        guard closed || connection.isBroken else { return connection }
        guard ContinuousClock.now >= nextAttempt else {
            throw JournalError(code: .unavailable, message: "PostgreSQL: the connection is lost; reconnecting")
        }
        do {
            try connection.reconnect()
            backoff = .milliseconds(100)
            return connection
        } catch {
            nextAttempt = ContinuousClock.now + backoff
            backoff = min(backoff * 2, .seconds(5))
            throw JournalError(error)
        }
    }

    /// Runs `sql` and decodes each row (for the shared reads).
    func rows<T>(_ sql: String, _ values: [SQLValue], _ decode: (PostgresRow) -> T) throws(JournalError) -> [T] {
        let connection = self.connection
        return try postgres { () throws(PostgresError) in try connection.query(sql, values).rows(decode) }
    }

    /// Runs both queries in one round trip.
    func rows<A, B>(_ first: (sql: String, values: [SQLValue]), _ decodeFirst: (PostgresRow) -> A,
                    and second: (sql: String, values: [SQLValue]), _ decodeSecond: (PostgresRow) -> B) throws(JournalError) -> ([A], [B]) {
        let connection = self.connection
        let results = try postgres { () throws(PostgresError) in try connection.query(all: [first, second]) }
        return (results[0].rows(decodeFirst), results[1].rows(decodeSecond))
    }

    /// Runs `body` between `begin` and COMMIT (ROLLBACK when it throws). BEGIN travels with
    /// the first statement. A read-only transaction's COMMIT is sent without waiting: nothing
    /// it could say matters, and the next use of the session reads its answer.
    ///
    /// A connection lost before COMMIT was sent (a session the server had already ended, a
    /// restart) committed nothing, so the transaction runs once more on a new connection at
    /// once; `body` must be safe to run again (it only issues statements). A connection lost
    /// after COMMIT was sent leaves the outcome unknown and is thrown as unavailable. A
    /// transaction the server rolled back to break a deadlock is run again, a few times.
    func transaction<T>(_ begin: String = "BEGIN", readOnly: Bool = false, _ body: (PostgresConnection) throws(JournalError) -> T) throws(JournalError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try begun(begin)
            var committing = false
            do throws(JournalError) {
                let value = try body(connection)
                committing = true
                if readOnly {
                    // What was read stands; a connection lost now is found at the next use.
                    try? connection.send("COMMIT", [], matters: false)
                    try? connection.sendSync()
                } else {
                    _ = try postgres { () throws(PostgresError) in try connection.query("COMMIT") }
                }
                return value
            } catch {
                if !connection.isBroken {
                    try? connection.rollback()
                    // The server chose this transaction to break a deadlock: run it again.
                    if error.code == .conflict, attempt < Self.conflictAttempts { continue }
                } else if !committing, attempt == 1 {
                    nextAttempt = ContinuousClock.now
                    continue
                }
                throw error
            }
        }
    }

    /// How many times a transaction the server rolled back for a conflict is run in all.
    static let conflictAttempts = 4

    /// The connection with `begin` sent. A session the server ended since its last use (a
    /// restart, a failover) is found here, before anything ran, and reconnected at once.
    private func begun(_ begin: String) throws(JournalError) -> PostgresConnection {
        var connection = try ready()
        try? connection.settle()  // the last read's COMMIT; a lost connection is found next
        if connection.closedByServer {
            nextAttempt = ContinuousClock.now
            connection = try ready(closed: true)
        }
        try postgres { () throws(PostgresError) in try connection.send(begin, []) }
        return connection
    }
}
