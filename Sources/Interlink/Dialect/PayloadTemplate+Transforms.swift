extension PayloadTemplate {
    /// The transform directives, with the members each allows besides itself.
    static let transformDirectives: [String: Set<String>] = [
        "$date": ["from", "to", "timeZone"], "$string": [], "$number": [], "$upper": [],
        "$map": ["values", "default"], "$concat": ["separator"],
    ]

    /// A transform directive (`$date`, `$string`, `$number`, `$upper`, `$map`, `$concat`), or
    /// `nil` when `members` holds none. Every mistake is reported at its JSON path.
    static func parseTransform(_ members: [String: JSONValue], at path: JSONPointer, issues: inout [ConfigIssue]) -> PayloadTemplate? {
        let named = members.keys.filter { transformDirectives[$0] != nil }.sorted()
        guard let directive = named.first, let allowed = transformDirectives[directive] else { return nil }
        if named.count > 1 { issues.append(ConfigIssue(path, "use one of \(named.joined(separator: ", ")) per object; nest them to combine")) }
        for key in Set(members.keys).subtracting(allowed).subtracting([directive]).sorted() {
            issues.append(ConfigIssue(path.appending(key), "unknown member of \"\(directive)\" (allowed: \(([directive] + allowed.sorted()).joined(separator: ", ")))"))
        }
        let inner = members[directive]!
        if directive == "$concat" {
            guard let parts = inner.arrayValue, !parts.isEmpty else {
                issues.append(ConfigIssue(path.appending(directive), "expected a non-empty array of values to join"))
                return .literal(.null)
            }
            let separator = members["separator"].map { value -> String in
                if value.stringValue == nil { issues.append(ConfigIssue(path.appending("separator"), "expected string, found \(value.typeName)")) }
                return value.stringValue ?? ""
            } ?? ""
            return .concat(parts.enumerated().map { parse($1, at: path.appending(directive).appending(String($0)), issues: &issues) }, separator: separator)
        }
        let template = parse(inner, at: path.appending(directive), issues: &issues)
        let transform: ValueTransform
        switch directive {
        case "$string": transform = .string
        case "$number": transform = .number
        case "$upper": transform = .upper
        case "$map":
            guard case .object(let table)? = members["values"], !table.isEmpty else {
                issues.append(ConfigIssue(path.appending("values"), "expected an object mapping each value to its replacement, e.g. {\"male\": \"1\"}"))
                return template
            }
            transform = .map(table, fallback: members["default"])
        default:
            guard let date = dateTransform(members, at: path, issues: &issues) else { return template }
            transform = date
        }
        return .transform(transform, template)
    }

    private static func dateTransform(_ members: [String: JSONValue], at path: JSONPointer, issues: inout [ConfigIssue]) -> ValueTransform? {
        let formats = ValueTransform.DateFormat.allCases.map(\.rawValue).joined(separator: ", ")
        func format(_ key: String) -> ValueTransform.DateFormat? {
            guard let text = members[key]?.stringValue, let format = ValueTransform.DateFormat(rawValue: text) else {
                issues.append(ConfigIssue(path.appending(key), members[key] == nil ? "required field is missing (one of: \(formats))" : "must be one of: \(formats)"))
                return nil
            }
            return format
        }
        let from = format("from"), to = format("to")
        let zoneName = members["timeZone"]?.stringValue ?? "Asia/Ho_Chi_Minh"
        let zone = ZoneRules(identifier: zoneName)
        if zone == nil { issues.append(ConfigIssue(path.appending("timeZone"), "unknown time zone \"\(zoneName)\"; use an IANA name such as Asia/Ho_Chi_Minh")) }
        guard let from, let to, let zone else { return nil }
        return .date(from: from, to: to, timeZone: zone)
    }
}
