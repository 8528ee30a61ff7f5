/// A request path with placeholders, as an integrator writes it for an agency or register
/// with its own API: `/api/khaisinh/{/code}` takes the dossier's `/code`, and
/// `/receipts/{receipt}` takes a named value such as the receipt being followed.
///
/// Every value is percent-encoded, so a dossier code holding `/` or `?` cannot change the path.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One piece of the path: text sent as written, or a value filled in.
    public enum Part: Sendable, Hashable {
        case text(String)
        /// `{/pointer}`: read from the document the path is filled from (the dossier).
        case pointer(JSONPointer)
        /// `{name}`: a value the caller names (`receipt`, `code`).
        case named(String)
    }

    /// The pieces, in order.
    public let parts: [Part]
    /// The path as written in the configuration.
    public let description: String

    /// Parses `text`; throws a message fit for a config error at the path's JSON path.
    public init(_ text: String) throws(PathTemplateError) {
        guard text.hasPrefix("/"), !text.contains(where: \.isWhitespace) else {
            throw PathTemplateError("must be a path starting with '/' and holding no spaces, e.g. /births")
        }
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { throw PathTemplateError("a '{' is not closed by '}'") }
            let inner = String(rest[rest.index(after: open)..<close])
            if inner.hasPrefix("/") {
                do {
                    parts.append(.pointer(try JSONPointer(inner)))
                } catch {
                    throw PathTemplateError(error.description)
                }
            } else if !inner.isEmpty, inner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                parts.append(.named(inner))
            } else {
                throw PathTemplateError("{\(inner)} is neither a JSON Pointer ({/code}) nor a name ({receipt})")
            }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { throw PathTemplateError("a '}' has no matching '{'") }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
        description = text
    }

    /// The names of its `{name}` placeholders.
    public var names: Set<String> {
        Set(parts.compactMap { if case .named(let name) = $0 { name } else { nil } })
    }

    /// The pointers of its `{/pointer}` placeholders.
    public var pointers: [JSONPointer] {
        parts.compactMap { if case .pointer(let pointer) = $0 { pointer } else { nil } }
    }

    /// The path with every placeholder filled, or `nil` naming the first value that is missing
    /// or not a string or number.
    public func fill(document: JSONValue = .null, named: [String: String] = [:]) -> Result<String, PathTemplateError> {
        var path = ""
        for part in parts {
            switch part {
            case .text(let text): path += text
            case .named(let name):
                guard let value = named[name] else { return .failure(PathTemplateError("{\(name)} has no value")) }
                path += EndpointClient.percentEncode(value)
            case .pointer(let pointer):
                guard let value = pointer.resolve(in: document)?.scalarText, !value.isEmpty else {
                    return .failure(PathTemplateError("\(pointer): missing, or not a string or number"))
                }
                path += EndpointClient.percentEncode(value)
            }
        }
        return .success(path)
    }

    /// Whether `path` could have been filled from this template: its text pieces appear in
    /// order, each placeholder standing for at least one character.
    public func matches(_ path: String) -> Bool {
        var rest = Substring(path)
        var placeholderPending = false
        for part in parts {
            guard case .text(let text) = part else {
                placeholderPending = true
                continue
            }
            if placeholderPending {
                guard let found = rest.dropFirst().firstRange(of: text) else { return false }
                rest = rest[found.upperBound...]
            } else {
                guard rest.hasPrefix(text) else { return false }
                rest = rest.dropFirst(text.count)
            }
            placeholderPending = false
        }
        return placeholderPending ? !rest.isEmpty : rest.isEmpty
    }
}

/// Why a path template was refused, or could not be filled.
public struct PathTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, fit to follow a JSON path in a config error.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension JSONValue {
    /// A string as it is, a number without a needless `.0`, a boolean as `true`/`false`;
    /// `nil` for null, arrays and objects. How vocabularies and error codes compare values,
    /// so `0` and `"0"` are the same code while `"00"` stays its own.
    public var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
