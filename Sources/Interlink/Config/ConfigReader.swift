/// Collects problems while a config file is read, so that reading never stops at the first one.
final class IssueCollector {
    private(set) var issues: [ConfigIssue] = []
    /// Every field the reader asked for, as a schema path (`agencies.<name>.retry.maxAttempts`).
    private(set) var fields: Set<String> = []

    func asked(_ field: String) {
        fields.insert(field)
    }

    func add(_ path: JSONPointer, _ message: String) {
        issues.append(ConfigIssue(path, message))
    }

    func add(contentsOf more: [ConfigIssue]) {
        issues.append(contentsOf: more)
    }
}

/// Reads one JSON object of the config, tracking its JSON path and which members were
/// used, so that misspelt members ("baseUrl") are reported instead of silently ignored.
///
/// Every accessor returns a usable placeholder after recording a problem; callers never
/// branch on errors, and the collector decides at the end whether the file is usable.
final class ConfigObjectReader {
    let path: JSONPointer
    /// The path with map keys as `<name>` and array indices as `[]`, for the schema.
    let schemaPath: String
    private let members: [String: JSONValue]
    private let collector: IssueCollector
    private var used: Set<String> = []

    init?(_ value: JSONValue, at path: JSONPointer, schemaPath: String = "", collector: IssueCollector) {
        guard case .object(let members) = value else {
            collector.add(path, "expected object, found \(value.typeName)")
            return nil
        }
        self.members = members
        self.path = path
        self.schemaPath = schemaPath
        self.collector = collector
    }

    private func field(_ key: String) -> String {
        schemaPath.isEmpty ? key : schemaPath + "." + key
    }

    var keys: [String] { members.keys.sorted() }

    func has(_ key: String) -> Bool { members[key] != nil }

    func report(_ key: String, _ message: String) {
        collector.add(path.appending(key), message)
    }

    /// Records a problem found by a nested parser that reports full paths itself.
    func reportIssue(_ issue: ConfigIssue) {
        collector.add(contentsOf: [issue])
    }

    func report(_ message: String) {
        collector.add(path, message)
    }

    /// The raw member, marked as used.
    func value(_ key: String) -> JSONValue? {
        used.insert(key)
        collector.asked(field(key))
        return members[key]
    }

    /// Reports members nobody asked for. Call once all known members were read.
    func finish() {
        // "comment" is allowed anywhere: JSON has no comments, and templates need explaining.
        for key in Set(members.keys).subtracting(used).subtracting(["comment"]).sorted() {
            collector.add(path.appending(key), "unknown field")
        }
    }

    func string(_ key: String) -> String? {
        guard let value = value(key) else {
            report(key, "required field is missing")
            return nil
        }
        guard let text = value.stringValue else {
            report(key, "expected string, found \(value.typeName)")
            return nil
        }
        return text
    }

    func optionalString(_ key: String) -> String? {
        guard let value = value(key), value != .null else { return nil }
        guard let text = value.stringValue else {
            report(key, "expected string, found \(value.typeName)")
            return nil
        }
        return text
    }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
        guard let value = value(key), value != .null else { return fallback }
        guard let number = value.intValue else {
            report(key, "expected integer, found \(value.typeName == "number" ? "fraction" : value.typeName)")
            return fallback
        }
        guard range.contains(number) else {
            report(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
            return fallback
        }
        return number
    }

    func double(_ key: String, default fallback: Double, in range: ClosedRange<Double>) -> Double {
        guard let value = value(key), value != .null else { return fallback }
        guard let number = value.numberValue else {
            report(key, "expected number, found \(value.typeName)")
            return fallback
        }
        guard range.contains(number) else {
            report(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
            return fallback
        }
        return number
    }

    func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let value = value(key), value != .null else { return fallback }
        guard let flag = value.boolValue else {
            report(key, "expected boolean, found \(value.typeName)")
            return fallback
        }
        return flag
    }

    func object(_ key: String) -> ConfigObjectReader? {
        guard let value = value(key), value != .null else { return nil }
        return ConfigObjectReader(value, at: path.appending(key), schemaPath: field(key), collector: collector)
    }

    /// The member `name` of a map whose keys are names the administrator chooses (agencies).
    func entry(_ name: String) -> ConfigObjectReader? {
        used.insert(name)
        guard let value = members[name] else { return nil }
        return ConfigObjectReader(value, at: path.appending(name), schemaPath: schemaPath + ".<name>", collector: collector)
    }

    /// A member that maps names the administrator chooses (header names, an agency's status
    /// words) to strings; each non-string is reported at its path.
    func stringMap(_ key: String) -> [String: String]? {
        guard let value = value(key), value != .null else { return nil }
        guard case .object(let members) = value else {
            report(key, "expected object, found \(value.typeName)")
            return nil
        }
        var map: [String: String] = [:]
        for (name, member) in members {
            guard let text = member.stringValue else {
                collector.add(path.appending(key).appending(name), "expected string, found \(member.typeName)")
                continue
            }
            map[name] = text
        }
        return map
    }

    func requiredObject(_ key: String) -> ConfigObjectReader? {
        guard has(key) else {
            report(key, "required field is missing")
            return nil
        }
        return object(key)
    }

    /// The elements of an array member with their paths; `[]` when absent.
    func array(_ key: String) -> [(value: JSONValue, path: JSONPointer, schema: String)] {
        guard let value = value(key), value != .null else { return [] }
        guard let elements = value.arrayValue else {
            report(key, "expected array, found \(value.typeName)")
            return []
        }
        let base = path.appending(key)
        return elements.enumerated().map { ($1, base.appending(String($0)), field(key) + "[]") }
    }

    func stringArray(_ key: String) -> [String] {
        array(key).compactMap { element in
            guard let text = element.value.stringValue else {
                collector.add(element.path, "expected string, found \(element.value.typeName)")
                return nil
            }
            return text
        }
    }

    func objectReader(for element: (value: JSONValue, path: JSONPointer, schema: String)) -> ConfigObjectReader? {
        ConfigObjectReader(element.value, at: element.path, schemaPath: element.schema, collector: collector)
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E) -> E where E.RawValue == String {
        guard let text = optionalString(key) else { return fallback }
        guard let parsed = E(rawValue: text) else {
            report(key, "must be one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            return fallback
        }
        return parsed
    }
}
