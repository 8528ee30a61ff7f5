/// The current row of a query, read by 0-based column, whatever the SQL backend. The
/// journal's decoders (``JournalRows``) read through it, so both backends share them.
protocol SQLRow {
    /// The column as text; empty when NULL.
    func string(_ column: Int32) -> String
    /// The column as text, or nil when NULL.
    func optionalString(_ column: Int32) -> String?
    /// The column as an integer; 0 when NULL.
    func int64(_ column: Int32) -> Int64
    /// The column as an integer, or nil when NULL.
    func optionalInt64(_ column: Int32) -> Int64?
    /// The column as bytes, or nil when NULL.
    func blob(_ column: Int32) -> [UInt8]?
}

extension SQLiteStatement: SQLRow {}
