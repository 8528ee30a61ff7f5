import CSQLite

/// A failed SQLite call, with SQLite's extended result code and the statement involved.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let code: Int32
    /// SQLite's own message.
    public let message: String
    /// The SQL being run, when there was one.
    public let sql: String?
    /// The database file.
    public let path: String

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT` …) without the extended bits.
    public var primaryCode: Int32 { code & 0xFF }


    /// "SQLite error 5 in /path: database is locked [SQL…]"; ``JournalError`` adds what to do.
    public var description: String {
        var text = "SQLite error \(code) in \(path): \(message)"
        if let sql { text += " [\(sql.prefix(120))]" }
        return text
    }
}

extension JournalError {
    /// The journal's view of a SQLite failure: which kind it is decides what callers and
    /// operators do about it.
    public init(_ error: SQLiteError) {
        let code: Code = switch error.primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_FULL: .full
        case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: .readOnly
        default: .storage
        }
        self.init(code: code, message: error.description)
    }
}

/// The funnel every SQLite call of the journal passes through: its failure becomes the journal's.
func journaled<T>(_ body: () throws(SQLiteError) -> T) throws(JournalError) -> T {
    do {
        return try body()
    } catch {
        throw JournalError(error)
    }
}
