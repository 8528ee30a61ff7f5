import CSQLite

/// `SQLITE_TRANSIENT`, which Swift does not import: SQLite copies bound text and blobs.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: confine it to one thread (see ``SQLiteJournal``).
public final class SQLiteConnection {
    let handle: OpaquePointer
    /// The database file this connection opened.
    public let path: String

    /// Opens (creating if needed) the database at `path` with extended result codes,
    /// a busy timeout, WAL and `synchronous=FULL`, since a commit is followed by requests
    /// to agencies and must survive power loss.
    ///
    /// `immutable` opens a read-only file that nobody can be writing (a read-only mount, or a
    /// directory where SQLite cannot keep its `-shm`) without locks or a WAL index.
    public init(path: String, busyTimeoutMs: Int = 5_000, readOnly: Bool = false, immutable: Bool = false) throws(SQLiteError) {
        var handle: OpaquePointer?
        var flags = (readOnly || immutable ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            let encoded = path.unicodeScalars.map { scalar -> String in
                "?#%".unicodeScalars.contains(scalar) ? "%" + Hex.string([UInt8(scalar.value)], uppercase: true) : String(scalar)
            }.joined()
            name = "file:" + encoded + "?immutable=1"
        }
        let result = sqlite3_open_v2(name, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: result, message: message, sql: nil, path: path)
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(busyTimeoutMs))
        if !readOnly && !immutable {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=FULL")
            // Erased personal data is overwritten with zeros, in cells and freed pages alike (Decree 13).
            try execute("PRAGMA secure_delete=ON")
        }
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The funnel every SQLite return code passes through.
    @discardableResult
    func check(_ result: Int32, sql: String? = nil) throws(SQLiteError) -> Int32 {
        switch result {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE: return result
        default:
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
        }
    }

    /// Runs one or more statements that return no rows of interest.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        if result != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql, path: path)
        }
    }

    /// Compiles `sql` (one statement) for repeated use; SQLite is told it is long-lived.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil), sql: sql)
        return SQLiteStatement(connection: self, handle: statement!, sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a busy journal fails fast at the start.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in one read transaction, so the queries in it see a single snapshot even
    /// while the writer connection commits between them.
    public func readTransaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// The rowid of the last row this connection inserted.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The first column of the first row of a query, as an integer.
    public func scalarInt(_ sql: String) throws(SQLiteError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.int64(0)
    }
}

/// Connections are confined to one thread; the compiler must stop them crossing.
@available(*, unavailable)
extension SQLiteConnection: Sendable {}
