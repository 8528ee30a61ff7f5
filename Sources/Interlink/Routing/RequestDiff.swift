/// How a step's request would differ between two dossier versions: what a new version changes
/// for an agency that already holds the old request. Values are masked, since the diff is
/// stored with the dossier's flags and shown by `interlinkctl review`.
enum RequestDiff {
    /// Each difference as `{"pointer", "before", "after"}`, masked by member name and shape;
    /// empty when the two requests are the same. Pure.
    static func differences(_ before: JSONValue, _ after: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        collect(before, after, at: JSONPointer(tokens: []), key: nil, into: &found)
        return found
    }

    private static func collect(_ before: JSONValue?, _ after: JSONValue?, at pointer: JSONPointer, key: String?, into found: inout [JSONValue]) {
        if case .object(let old)? = before, case .object(let new)? = after {
            for member in Set(old.keys).union(new.keys).sorted() {
                collect(old[member], new[member], at: pointer.appending(member), key: member, into: &found)
            }
            return
        }
        if case .array(let old)? = before, case .array(let new)? = after, old.count == new.count {
            for index in old.indices { collect(old[index], new[index], at: pointer.appending(String(index)), key: key, into: &found) }
            return
        }
        guard before != after else { return }
        func shown(_ value: JSONValue?) -> JSONValue {
            guard let value else { return .null }
            return key.map { PersonalDataMasker.mask(value, forKey: $0) } ?? PersonalDataMasker.mask(value)
        }
        found.append(["pointer": .string(pointer.description), "before": shown(before), "after": shown(after)])
    }
}
