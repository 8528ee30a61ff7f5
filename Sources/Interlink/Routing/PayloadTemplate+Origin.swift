extension PayloadTemplate {
    /// Where a value of a rendered request came from.
    public enum Origin: Sendable, Hashable {
        /// The dossier: what the citizen supplied.
        case dossier
        /// An earlier step's result: what an agency supplied.
        case stepResult
        /// The template itself: what the configuration supplies.
        case constant
    }

    /// The origin of the value at `pointer` in a body this template renders; nil when the
    /// pointer names nothing the template writes.
    public func origin(of pointer: JSONPointer) -> Origin? {
        origin(of: pointer.tokens[...])
    }

    private func origin(of tokens: ArraySlice<String>) -> Origin? {
        switch self {
        case .literal: return .constant
        case .reference(let reference):
            if case .dossier = reference.source { return .dossier }
            return .stepResult
        case .object(let members):
            guard let token = tokens.first, let member = members.first(where: { $0.key == token }) else { return nil }
            return member.value.origin(of: tokens.dropFirst())
        case .array(let elements):
            guard let token = tokens.first, let index = Int(token), elements.indices.contains(index) else { return nil }
            return elements[index].origin(of: tokens.dropFirst())
        case .transform(_, let inner): return inner.origin(of: tokens)
        case .concat(let parts, _):
            // Joined text is the dossier's (or an agency's) as soon as one part is.
            let origins = parts.compactMap { $0.origin(of: tokens) }
            return origins.first { $0 != .constant } ?? .constant
        }
    }

    /// Whether a 422 with these `reasons` faults the configuration rather than the dossier:
    /// each reason names a field, and every field it names holds a value the template
    /// supplies itself. Such a refusal is no supplement request to the citizen.
    public func refusalFaultsConfiguration(_ reasons: [JSONValue]) -> Bool {
        let pointers = reasons.map { $0["pointer"]?.stringValue }
        guard !pointers.isEmpty, pointers.allSatisfy({ $0 != nil }) else { return false }
        return pointers.allSatisfy { text in
            guard let text, let pointer = try? JSONPointer(text) else { return false }
            return origin(of: pointer) == .constant
        }
    }
}
