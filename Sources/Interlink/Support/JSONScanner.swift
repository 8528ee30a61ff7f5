/// Finds where JSON values start and end without building them, so a list can be split
/// into items and each item parsed (and refused) on its own.
///
/// It is lenient on purpose: it only tracks strings and brackets, so an item with invalid
/// UTF-8, duplicate keys or deep nesting still has a well-defined extent.
public struct JSONScanner: Sendable {
    /// The document being scanned; every index and range refers into it.
    public let bytes: [UInt8]

    /// A scanner over `bytes`, typically a whole response body.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The first index at or after `index` that is not JSON whitespace (space, tab, CR, LF); `bytes.count` at the end.
    public func skipWhitespace(_ index: Int) -> Int {
        var index = index
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The index just past the value starting at `start`, or `nil` when it never ends.
    public func endOfValue(_ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return endOfString(start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}"), bytes[index] != UInt8(ascii: "]"),
                  !Self.isWhitespace(bytes[index]) {
                index += 1
            }
            return index
        }
    }

    private func endOfString(_ start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") { return index + 1 }
            index += 1
        }
        return nil
    }

    /// Walks a JSON array starting at `start`: `element` gets where each element starts and
    /// returns the index just past it (`nil` when it never ends), so a caller that reads an
    /// element anyway finds its extent in the same pass. Returns the index past the array, or
    /// `nil` when it is not a whole array.
    public func forEachElement(_ start: Int, _ element: (Int) -> Int?) -> Int? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return index + 1 }
        while index < bytes.count {
            guard let end = element(index) else { return nil }
            index = skipWhitespace(end)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") { return index + 1 }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipWhitespace(index + 1)
        }
        return nil
    }

    /// The members of a JSON object starting at `start` as (key, value range); `nil` when malformed.
    public func objectMembers(_ start: Int) -> [(key: String, value: Range<Int>)]? {
        object(start)?.members
    }

    /// The members of a JSON object starting at `start`, and the index just past it; `nil` when malformed.
    public func object(_ start: Int) -> (members: [(key: String, value: Range<Int>)], end: Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return nil }
        var members: [(key: String, value: Range<Int>)] = []
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return (members, index + 1) }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\""), let keyEnd = endOfString(index), let key = string(index..<keyEnd) else { return nil }
            index = skipWhitespace(keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipWhitespace(index + 1)
            guard let end = endOfValue(index) else { return nil }
            members.append((key, index..<end))
            index = skipWhitespace(end)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return (members, index + 1) }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipWhitespace(index + 1)
        }
        return nil
    }

    /// The JSON string whose quotes span `range`, or `nil` when it is not one. Keys and codes
    /// are printable ASCII without escapes: those are read as they are, the rest by the parser.
    public func string(_ range: Range<Int>) -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        if bytes[inner].allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "\"") }) {
            return String(decoding: bytes[inner], as: UTF8.self)
        }
        return (try? JSONParser.parse(bytes[range]))?.stringValue
    }
}
