import CLibPQ

/// A failed libpq call: the server's SQLSTATE when it answered, and its message.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (`40P01`, `23505` …), or nil when no server answered.
    public let sqlstate: String?
    /// libpq's or the server's message, on one line.
    public let message: String
    /// The SQL being run, when there was one.
    public let sql: String?

    init(sqlstate: String?, message: String, sql: String? = nil) {
        self.sqlstate = sqlstate
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ").trimmedWhitespace
        self.sql = sql
    }

    /// "PostgreSQL error 23505: message [SQL…]".
    public var description: String {
        var text = "PostgreSQL" + (sqlstate.map { " error \($0)" } ?? "") + ": \(message)"
        if let sql { text += " [\(sql.prefix(120))]" }
        return text
    }
}

extension JournalError {
    /// The journal's view of a PostgreSQL failure, by SQLSTATE class.
    init(_ error: PostgresError) {
        let code: Code
        switch error.sqlstate {
        case nil: code = .unavailable
        case let state? where state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state): code = .unavailable
        case "40001", "40P01": code = .conflict
        case "55P03", "57014": code = .busy
        case "53100": code = .full
        case let state? where state.hasPrefix("53"): code = .busy
        case "XX001", "XX002": code = .corrupt
        case "25006", "42501": code = .readOnly
        case let state? where state.hasPrefix("28"): code = .unauthorized
        default: code = .storage
        }
        self.init(code: code, message: error.description)
    }
}

/// The funnel every libpq call of the journal passes through: its failure becomes the journal's.
func postgres<T>(_ body: () throws(PostgresError) -> T) throws(JournalError) -> T {
    do {
        return try body()
    } catch {
        throw JournalError(error)
    }
}
