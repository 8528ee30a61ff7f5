/// A SQLite connection and its statement cache, used only on one serial queue.
final class SQLiteSession: @unchecked Sendable, SQLReadSession {
    // @unchecked: every access happens on the one serial queue that owns the session.
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

    /// Runs `sql` on this connection and decodes each row.
    func rows<T>(_ sql: String, _ values: [SQLValue], _ decode: (SQLiteStatement) -> T) throws(JournalError) -> [T] {
        try journaled { () throws(SQLiteError) in try statement(sql).rows(values) { decode($0) } }
    }
}
