/// Byte-level helpers shared by the server's request parser and the client's header
/// callback: both run once per header line of every request, where `String` and
/// `Character` work cost more than the rest of the exchange.
enum HTTPBytes {
    /// ASCII space, tab and the other C0 blanks (CR and LF included) that pad a field value.
    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    /// The bytes as text, without surrounding blanks.
    static func trimmedText<Bytes: BidirectionalCollection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
