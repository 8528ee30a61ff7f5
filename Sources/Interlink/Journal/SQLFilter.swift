/// Builds a `WHERE` clause and its bound values from optional conditions.
struct SQLFilter {
    private(set) var conditions: [String] = []
    private(set) var values: [SQLValue] = []

    /// A condition without placeholders.
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// A condition with one `?` placeholder.
    mutating func require(_ condition: String, _ value: SQLValue) {
        conditions.append(condition)
        values.append(value)
    }

    /// `column = ?` when a value is given; nothing otherwise.
    mutating func require(_ column: String, equals value: String?) {
        guard let value else { return }
        require("\(column) = ?", .text(value))
    }

    /// `column IN (…)` when the set is not empty; nothing otherwise.
    mutating func require(_ column: String, in members: [String]) {
        guard !members.isEmpty else { return }
        conditions.append("\(column) IN (\(Array(repeating: "?", count: members.count).joined(separator: ", ")))")
        values += members.sorted().map(SQLValue.text)
    }

    var whereClause: String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}
