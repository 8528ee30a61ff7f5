import CLibPQ

/// A query's rows, read in text format. Owns the libpq result and frees it; confined to the
/// connection's queue like the connection.
final class PostgresResult {
    let handle: OpaquePointer
    /// Rows returned.
    let count: Int32

    init(_ handle: OpaquePointer) {
        self.handle = handle
        count = PQntuples(handle)
    }

    deinit {
        PQclear(handle)
    }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    var changes: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    /// Each row, decoded.
    func rows<T>(_ decode: (PostgresRow) -> T) -> [T] {
        (0..<count).map { decode(PostgresRow(result: handle, index: $0)) }
    }
}

/// One row of a ``PostgresResult``; valid while the result lives.
struct PostgresRow: SQLRow {
    let result: OpaquePointer
    let index: Int32

    func optionalString(_ column: Int32) -> String? {
        guard PQgetisnull(result, index, column) == 0, let value = PQgetvalue(result, index, column) else { return nil }
        return String(cString: value)
    }

    func string(_ column: Int32) -> String {
        optionalString(column) ?? ""
    }

    func optionalInt64(_ column: Int32) -> Int64? {
        guard PQgetisnull(result, index, column) == 0, let value = PQgetvalue(result, index, column) else { return nil }
        return Int64(String(cString: value))
    }

    func int64(_ column: Int32) -> Int64 {
        optionalInt64(column) ?? 0
    }

    /// `bytea` arrives as `\x` followed by hex digits.
    func blob(_ column: Int32) -> [UInt8]? {
        guard let text = optionalString(column) else { return nil }
        return text.hasPrefix("\\x") ? Hex.bytes(String(text.dropFirst(2))) : Array(text.utf8)
    }
}

/// PostgreSQL's text form of a one-dimensional `text[]`: every element quoted, with quotes
/// and backslashes escaped, so any string (a comma, a brace, NULL) stays one element.
enum PostgresArray {
    static func text(_ elements: [String]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text.append(",") }
            text.append("\"")
            for character in element {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            text.append("\"")
        }
        return text + "}"
    }
}
