/// Builds an agency request body from a dossier and the results of earlier steps.
///
/// A template is JSON in which some values are references:
/// - a string starting with `/` is a JSON Pointer into the dossier (`/form/child/fullName`);
/// - a string `steps.<step>.result/<pointer>` points into an earlier step's result;
/// - `{"$from": "<reference>", "type": "string|number|boolean|object|array|date|personal-id"}`
///   is a reference whose value must have that type;
/// - `{"$const": <any JSON>}` is taken verbatim (`$literal` is the same). A bare string that is
///   not a reference is refused at load: a pointer that lost its slash must not be sent as text.
///
/// - `{"$date": <template>, "from": "rfc3339", "to": "yyyyMMddHHmmss", "timeZone": "Asia/Ho_Chi_Minh"}`,
///   `{"$string": …}`, `{"$number": …}`, `{"$upper": …}`, `{"$map": …, "values": {"male": "1"}}` and
///   `{"$concat": [ … ], "separator": " "}` transform what they read (``ValueTransform``).
///
/// A key ending in `?` (`"father?": "/form/father"`) is optional: it is left out when its
/// reference resolves to nothing or to null. Every other reference is required.
public indirect enum PayloadTemplate: Sendable, Hashable {
    case literal(JSONValue)
    case reference(Reference)
    case array([PayloadTemplate])
    case object([Member])
    /// A value changed on its way: a date format, a type, a value map, upper case.
    case transform(ValueTransform, PayloadTemplate)
    /// The texts of several values joined.
    case concat([PayloadTemplate], separator: String)

    /// One member of an object template.
    public struct Member: Sendable, Hashable {
        /// The output key, without the `?` that marked it optional.
        public let key: String
        /// Whether the key was written with a trailing `?`: left out when its references find nothing or null.
        public let optional: Bool
        /// The template that fills the member's value.
        public let value: PayloadTemplate
    }

    /// Where a reference reads from, and what it must find there.
    public struct Reference: Sendable, Hashable, CustomStringConvertible {
        /// What a reference's pointer is resolved against.
        public enum Source: Sendable, Hashable {
            case dossier
            case stepResult(String)
        }

        /// The document the pointer reads: the dossier or a named earlier step's result.
        public let source: Source
        /// The RFC 6901 JSON Pointer into that document.
        public let pointer: JSONPointer
        /// The type the value must have (a `$from` with a `type`); nil accepts any value.
        public let expectedType: ExpectedType?

        /// The reference as written in a template: `/form/x` or `steps.<step>.result/x`.
        public var description: String {
            switch source {
            case .dossier: pointer.description
            case .stepResult(let step): "steps.\(step).result\(pointer)"
            }
        }
    }

    /// The value types a `$from` reference may require.
    public enum ExpectedType: String, Sendable, Hashable, CaseIterable {
        case string, number, boolean, object, array, date
        case personalID = "personal-id"

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object), (.array, .array):
                true
            case (.date, .string(let text)):
                CalendarDate(text) != nil
            case (.personalID, .string(let text)):
                text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            default:
                false
            }
        }
    }

    /// The value at `pointer` in the document the template is rendered from, whatever its type.
    public static func pointer(_ pointer: JSONPointer) -> PayloadTemplate {
        .reference(Reference(source: .dossier, pointer: pointer, expectedType: nil))
    }

    /// The steps whose results this template reads.
    public var referencedSteps: Set<String> {
        switch self {
        case .literal: []
        case .reference(let reference):
            if case .stepResult(let step) = reference.source { [step] } else { [] }
        case .array(let elements): elements.reduce(into: []) { $0.formUnion($1.referencedSteps) }
        case .object(let members): members.reduce(into: []) { $0.formUnion($1.value.referencedSteps) }
        case .transform(_, let inner): inner.referencedSteps
        case .concat(let parts, _): parts.reduce(into: []) { $0.formUnion($1.referencedSteps) }
        }
    }

    /// Every dossier reference with the key path it fills, for checking a dossier before the first push.
    public var dossierReferences: [(reference: Reference, optional: Bool)] {
        collectReferences(optional: false).filter { $0.reference.source == .dossier }
    }

    private func collectReferences(optional: Bool) -> [(reference: Reference, optional: Bool)] {
        switch self {
        case .literal: []
        case .reference(let reference): [(reference, optional)]
        case .array(let elements): elements.flatMap { $0.collectReferences(optional: optional) }
        case .object(let members): members.flatMap { $0.value.collectReferences(optional: optional || $0.optional) }
        case .transform(_, let inner): inner.collectReferences(optional: optional)
        case .concat(let parts, _): parts.flatMap { $0.collectReferences(optional: optional) }
        }
    }
}
