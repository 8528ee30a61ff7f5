/// A value bound to a statement parameter, the same for every SQL backend.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLValue {
    /// Text, or NULL when `value` is nil.
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    /// An integer, or NULL when `value` is nil.
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    /// An integer, or NULL when `value` is nil.
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
}
