/// Why a template could not be filled from a dossier: every missing or ill-typed field.
public struct TemplateRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One missing or ill-typed field.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The reference as written in the template (`/form/child/dateOfBirth`).
        public let reference: String
        /// What is wrong with it: `missing`, or `expected string, found number`.
        public let message: String
        /// `reference: message`.
        public var description: String { "\(reference): \(message)" }
    }

    /// Every problem found, in template order.
    public let problems: [Problem]

    /// One line naming every problem, fit for a quarantine reason.
    public var description: String {
        "the dossier lacks what the route needs: " + problems.map(\.description).joined(separator: "; ")
    }
}

extension PayloadTemplate {
    /// Fills the template. Throws with every problem at once, so a quarantine reason is complete.
    public func render(dossier: JSONValue, stepResults: [String: JSONValue]) throws(TemplateRenderError) -> JSONValue {
        var problems: [TemplateRenderError.Problem] = []
        let value = fill(dossier: dossier, stepResults: stepResults, optional: false, problems: &problems)
        guard problems.isEmpty else { throw TemplateRenderError(problems: problems) }
        return value ?? .null
    }

    /// Fills the template for a preview: a reference to a step that has no result yet reads as
    /// `⟨steps.<step>.result/…⟩`, so the rest of the request can still be seen. Returns the
    /// problems that remain (the dossier's).
    public func preview(dossier: JSONValue, stepResults: [String: JSONValue]) -> (request: JSONValue, problems: [TemplateRenderError.Problem]) {
        var problems: [TemplateRenderError.Problem] = []
        let value = fill(dossier: dossier, stepResults: stepResults, optional: false, problems: &problems, placeholders: true)
        return (value ?? .null, problems)
    }

    /// The first reference the template reads, as written, to name a value that failed a transform.
    var firstReference: String? {
        switch self {
        case .literal: nil
        case .reference(let reference): reference.description
        case .array(let elements): elements.lazy.compactMap(\.firstReference).first
        case .object(let members): members.lazy.compactMap(\.value.firstReference).first
        case .transform(_, let inner): inner.firstReference
        case .concat(let parts, _): parts.lazy.compactMap(\.firstReference).first
        }
    }

    /// `nil` means "leave this member out" (an optional reference that found nothing).
    private func fill(dossier: JSONValue, stepResults: [String: JSONValue], optional: Bool,
                      problems: inout [TemplateRenderError.Problem], placeholders: Bool = false) -> JSONValue? {
        switch self {
        case .literal(let value):
            return value
        case .reference(let reference):
            let document: JSONValue?
            switch reference.source {
            case .dossier: document = dossier
            case .stepResult(let step): document = stepResults[step]
            }
            if placeholders, case .stepResult(let step) = reference.source, stepResults[step] == nil {
                return .string("⟨\(reference.description)⟩")
            }
            let found = document.flatMap { reference.pointer.resolve(in: $0) }
            guard let value = found, value != .null else {
                if !optional { problems.append(.init(reference: reference.description, message: "missing")) }
                return nil
            }
            if let expected = reference.expectedType, !expected.accepts(value) {
                problems.append(.init(reference: reference.description, message: "expected \(expected.rawValue), found \(value.typeName)"))
                return nil
            }
            return value
        case .array(let elements):
            return .array(elements.compactMap { $0.fill(dossier: dossier, stepResults: stepResults, optional: optional, problems: &problems,
                                                        placeholders: placeholders) })
        case .object(let members):
            var object: [String: JSONValue] = [:]
            for member in members {
                if let value = member.value.fill(dossier: dossier, stepResults: stepResults,
                                                 optional: optional || member.optional, problems: &problems, placeholders: placeholders) {
                    object[member.key] = value
                }
            }
            // An optional group whose references all came back empty ("father?" with no
            // father) is left out rather than sent as an empty object.
            if optional, object.isEmpty, !members.isEmpty { return nil }
            return .object(object)
        case .transform(let transform, let inner):
            guard let value = inner.fill(dossier: dossier, stepResults: stepResults, optional: optional, problems: &problems,
                                         placeholders: placeholders) else { return nil }
            if placeholders, value.stringValue?.hasPrefix("⟨") == true { return value }
            switch transform.apply(value) {
            case .success(let transformed): return transformed
            case .failure(let error):
                problems.append(.init(reference: inner.firstReference ?? "a value", message: error.description))
                return nil
            }
        case .concat(let parts, let separator):
            var texts: [String] = []
            for part in parts {
                guard let value = part.fill(dossier: dossier, stepResults: stepResults, optional: optional, problems: &problems,
                                            placeholders: placeholders) else { return nil }
                guard let text = value.scalarText else {
                    problems.append(.init(reference: part.firstReference ?? "a value", message: "expected a string or number to join, found \(value.typeName)"))
                    return nil
                }
                texts.append(text)
            }
            return .string(texts.joined(separator: separator))
        }
    }
}
