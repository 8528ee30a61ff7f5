import CSQLite

/// A prepared statement. Owned by its connection's thread like the connection itself.
public final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let handle: OpaquePointer
    /// The SQL text it was prepared from, reported in its errors.
    public let sql: String

    init(connection: SQLiteConnection, handle: OpaquePointer, sql: String) {
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to parameters 1…n.
    @discardableResult
    public func bind(_ values: [SQLValue]) throws(SQLiteError) -> SQLiteStatement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(handle, index)
            case .integer(let number): result = sqlite3_bind_int64(handle, index, number)
            case .real(let number): result = sqlite3_bind_double(handle, index, number)
            case .text(let text): result = sqlite3_bind_text(handle, index, text, -1, sqliteTransient)
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), sqliteTransient) }
            }
            try connection.check(result, sql: sql)
        }
        return self
    }

    /// Advances to the next row; `false` when done.
    public func step() throws(SQLiteError) -> Bool {
        try connection.check(sqlite3_step(handle), sql: sql) == SQLITE_ROW
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: [SQLValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Collects every row through `row`.
    public func rows<T>(_ values: [SQLValue] = [], _ row: (SQLiteStatement) throws(SQLiteError) -> T) throws(SQLiteError) -> [T] {
        try bind(values)
        var result: [T] = []
        while try step() { result.append(try row(self)) }
        sqlite3_reset(handle)
        return result
    }

    /// Whether the current row's `column` (0-based) is NULL.
    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The current row's `column` (0-based) as an integer; 0 when NULL.
    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// The current row's `column` (0-based) as an integer, or nil when NULL.
    public func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    /// The current row's `column` (0-based) as text; empty when NULL.
    public func string(_ column: Int32) -> String {
        optionalString(column) ?? ""
    }

    /// The current row's `column` (0-based) as UTF-8 text, or nil when NULL.
    public func optionalString(_ column: Int32) -> String? {
        guard !isNull(column), let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }

    /// The current row's `column` (0-based) as bytes: nil when NULL, empty for a zero-length blob.
    public func blob(_ column: Int32) -> [UInt8]? {
        guard !isNull(column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The current row's `column` (0-based) as the value SQLite stored, whatever its type.
    public func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(handle, column))
        case SQLITE_BLOB: .blob(blob(column) ?? [])
        default: .text(string(column))
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
