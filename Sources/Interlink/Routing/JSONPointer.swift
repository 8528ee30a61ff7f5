/// An RFC 6901 JSON Pointer such as `/form/child/fullName`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, in order.
    public let tokens: [String]

    /// Why a pointer's text was refused.
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        /// The text that was refused.
        public let text: String
        /// What is wrong with it, phrased to follow "is not a JSON Pointer:".
        public let reason: String
        /// The text and the reason, for error messages.
        public var description: String { "\"\(text)\" is not a JSON Pointer: \(reason)" }
    }

    /// Parses the pointer's string form. The empty string is the whole document.
    public init(_ text: String) throws(SyntaxError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw SyntaxError(text: text, reason: "it must be empty or start with '/'") }
        guard text.utf8.contains(UInt8(ascii: "~")) else {
            // Without escapes each token is the text between slashes, read as bytes.
            tokens = text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            return
        }
        var parsed: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                guard character == "~" else {
                    token.append(character)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw SyntaxError(text: text, reason: "'~' must be followed by 0 or 1")
                }
            }
            parsed.append(token)
        }
        tokens = parsed
    }

    /// Builds a pointer from unescaped tokens; `[]` is the whole document.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The RFC 6901 string form, with `~` and `/` escaped as `~0` and `~1`; empty for the whole document.
    public var description: String {
        tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }

    /// The value the pointer refers to in `document`, or `nil` when any token is missing.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let position = Self.arrayIndex(token), position < elements.count else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    /// RFC 6901 array indices: decimal digits without leading zeros.
    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
              token == "0" || !token.hasPrefix("0") else { return nil }
        return Int(token)
    }

    /// The pointer with one more token.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }
}
