import CSQLite

/// A failed SQLite call, with SQLite's extended result code and the statement involved.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let code: Int32
    public let message: String
    /// The SQL being run, when there was one.
    public let sql: String?
    /// The database file.
    public let path: String

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT` …) without the extended bits.
    public var primaryCode: Int32 { code & 0xFF }

    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite error \(code) in \(path): \(message)"
        if let sql { text += " [\(sql.prefix(120))]" }
        switch primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED: text += "; another process holds the journal, retry or stop it"
        case SQLITE_CORRUPT, SQLITE_NOTADB: text += "; the journal is damaged, restore it from backup"
        case SQLITE_FULL: text += "; the disk is full, free space under the state directory"
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM: text += "; check the journal path and its permissions"
        default: break
        }
        return text
    }
}
