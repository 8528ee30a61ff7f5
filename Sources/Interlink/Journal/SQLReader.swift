/// A SQL backend as the shared read code sees it: one read-only unit of work at a time, in
/// one read transaction, on a connection the backend confines to one queue.
protocol SQLReader: Sendable {
    associatedtype Session: SQLReadSession
    /// Which SQL the few dialect-specific queries use.
    var dialect: SQLDialect { get }
    /// Runs `body` in one read transaction on the backend's reader.
    func read<T: Sendable>(_ body: @escaping @Sendable (Session) throws(JournalError) -> T) async throws(JournalError) -> T
}

/// A reader's connection inside its read transaction.
protocol SQLReadSession {
    associatedtype Row: SQLRow
    /// Runs `sql` (with `?` placeholders, bound in order) and decodes each row.
    func rows<T>(_ sql: String, _ values: [SQLValue], _ decode: (Row) -> T) throws(JournalError) -> [T]
    /// Runs two queries, at once where the backend can (one round trip on PostgreSQL).
    func rows<A, B>(_ first: (sql: String, values: [SQLValue]), _ decodeFirst: (Row) -> A,
                    and second: (sql: String, values: [SQLValue]), _ decodeSecond: (Row) -> B) throws(JournalError) -> ([A], [B])
}

extension SQLReadSession {
    func rows<A, B>(_ first: (sql: String, values: [SQLValue]), _ decodeFirst: (Row) -> A,
                    and second: (sql: String, values: [SQLValue]), _ decodeSecond: (Row) -> B) throws(JournalError) -> ([A], [B]) {
        (try rows(first.sql, first.values, decodeFirst), try rows(second.sql, second.values, decodeSecond))
    }
}

/// The SQL backends the journal speaks.
enum SQLDialect: Sendable {
    case sqlite, postgres

    /// `sql` with its `?` placeholders numbered `$1`, `$2`… as PostgreSQL wants them. The
    /// journal's SQL has no `?` inside string literals.
    static func numbered(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                output += "$\(index)"
            } else {
                output.append(character)
            }
        }
        return output
    }
}

extension SQLReadSession {
    /// The first row, decoded, if any.
    func first<T>(_ sql: String, _ values: [SQLValue] = [], _ decode: (Row) -> T) throws(JournalError) -> T? {
        try rows(sql, values, decode).first
    }
}
