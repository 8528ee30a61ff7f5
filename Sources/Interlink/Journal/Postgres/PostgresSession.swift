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

    /// The connection, reconnected first if the server went away.
    func ready() throws(JournalError) -> PostgresConnection {
        guard connection.isBroken else { return connection }
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

    /// Runs `body` between BEGIN and COMMIT (ROLLBACK when it throws).
    /// A session the server ended since its last use (a restart, a failover) is found out at
    /// BEGIN, before anything ran: it is reconnected and begun once more at once.
    func transaction<T>(_ begin: String = "BEGIN", _ body: (PostgresConnection) throws(JournalError) -> T) throws(JournalError) -> T {
        var connection = try ready()
        do {
            try postgres { () throws(PostgresError) in try connection.execute(begin) }
        } catch where connection.isBroken {
            nextAttempt = ContinuousClock.now
            connection = try ready()
            try postgres { () throws(PostgresError) in try connection.execute(begin) }
        }
        do throws(JournalError) {
            let value = try body(connection)
            try postgres { () throws(PostgresError) in try connection.execute("COMMIT") }
            return value
        } catch {
            if !connection.isBroken { try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}
