/// ``JournalStatements`` on SQLite's writer session, inside its transaction: the shared SQL
/// (``SQLStatements``), and what SQLite does its own way.
struct SQLiteStatements: SQLStatements {
    let session: SQLiteSession

    var dialect: SQLDialect { .sqlite }

    func change(_ sql: String, _ values: [SQLValue]) throws(JournalError) -> Int {
        try journaled { () throws(SQLiteError) in
            try session.statement(sql).run(values)
            return session.connection.changes
        }
    }

    func select<T>(_ sql: String, _ values: [SQLValue], _ decode: (SQLiteStatement) -> T) throws(JournalError) -> [T] {
        try session.rows(sql, values, decode)
    }

    func insertTransfer(_ transfer: NewTransfer, at: Int64) throws(JournalError) -> Int64? {
        let (sql, values) = TransferInsertSQL.statement(transfer, at: at)
        return try journaled { () throws(SQLiteError) in
            try session.statement(sql).run(values)
            return session.connection.changes > 0 ? session.connection.lastInsertRowID : nil
        }
    }

    func perform(_ sql: String, _ values: [SQLValue]) throws(JournalError) {
        _ = try change(sql, values)
    }

    /// SQLite has one writer at a time: events are chained at once after the newest.
    func appendEvents(_ events: [NewEvent]) throws(JournalError) {
        let tip = try select("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", []) {
            AuditChain.Link(sequence: $0.int64(0), hash: $0.blob(1) ?? SHA256.zero)
        }.first ?? .origin
        _ = try writeChained(events, after: tip)
    }

    /// One daemon per SQLite journal: nobody else to tell.
    func notify(_ channel: JournalChannel) throws(JournalError) {}
}
