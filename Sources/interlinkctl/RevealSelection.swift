import Interlink

/// What `show --reveal` unmasks: `all`, or the fields named (repeatable), each a dossier
/// pointer (`/form/child/fullName`) or a step result (`steps.birth.result/personalId`).
struct RevealSelection: Sendable {
    var all = false
    var dossierPointers: [JSONPointer] = []
    var resultPointers: [(step: String, pointer: JSONPointer)] = []

    var isEmpty: Bool { !all && dossierPointers.isEmpty && resultPointers.isEmpty }

    /// The fields as given, for the audit event.
    var described: [String] {
        all ? ["all"] : dossierPointers.map(\.description) + resultPointers.map { "steps.\($0.step).result\($0.pointer)" }
    }

    init(_ values: [String]) throws(UsageError) {
        for value in values {
            if value == "all" {
                all = true
                continue
            }
            var issues: [ConfigIssue] = []
            guard case .reference(let reference) = PayloadTemplate.parse(.string(value), at: JSONPointer(tokens: []), issues: &issues), issues.isEmpty else {
                throw UsageError("--reveal takes all, a dossier field such as /form/child/fullName, or steps.<step>.result/<field>; not \(value)")
            }
            switch reference.source {
            case .dossier: dossierPointers.append(reference.pointer)
            case .stepResult(let step): resultPointers.append((step, reference.pointer))
            }
        }
    }

    /// `value` masked, with the selected fields put back from `original`.
    func apply(masked: JSONValue, original: JSONValue, pointers: [JSONPointer]) -> JSONValue {
        if all { return original }
        var shown = masked
        for pointer in pointers {
            guard let value = pointer.resolve(in: original) else { continue }
            shown = Self.setting(value, at: pointer.tokens[...], in: shown)
        }
        return shown
    }

    /// The selected pointers into step `step`'s result.
    func pointers(forStep step: String) -> [JSONPointer] {
        resultPointers.filter { $0.step == step }.map(\.pointer)
    }

    private static func setting(_ value: JSONValue, at tokens: ArraySlice<String>, in document: JSONValue) -> JSONValue {
        guard let token = tokens.first else { return value }
        switch document {
        case .object(var members):
            members[token] = setting(value, at: tokens.dropFirst(), in: members[token] ?? .null)
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { return document }
            elements[index] = setting(value, at: tokens.dropFirst(), in: elements[index])
            return .array(elements)
        default:
            return document
        }
    }
}
