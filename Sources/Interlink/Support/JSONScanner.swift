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
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        return index
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
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) {
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

    /// The value ranges of a JSON array starting at `start`, or `nil` when it is not a whole array.
    public func arrayElements(_ start: Int) -> (elements: [Range<Int>], end: Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        var elements: [Range<Int>] = []
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { return (elements, index + 1) }
        while index < bytes.count {
            guard let end = endOfValue(index) else { return nil }
            elements.append(index..<end)
            index = skipWhitespace(end)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") { return (elements, index + 1) }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipWhitespace(index + 1)
        }
        return nil
    }

    /// The members of a JSON object starting at `start` as (key, value range); `nil` when malformed.
    public func objectMembers(_ start: Int) -> [(key: String, value: Range<Int>)]? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return nil }
        var members: [(key: String, value: Range<Int>)] = []
        var index = skipWhitespace(start + 1)
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return members }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\""), let keyEnd = endOfString(index),
                  let key = (try? JSONParser.parse(bytes[index..<keyEnd]))?.stringValue else { return nil }
            index = skipWhitespace(keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipWhitespace(index + 1)
            guard let end = endOfValue(index) else { return nil }
            members.append((key, index..<end))
            index = skipWhitespace(end)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return members }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index = skipWhitespace(index + 1)
        }
        return nil
    }
}
