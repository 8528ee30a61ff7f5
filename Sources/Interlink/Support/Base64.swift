/// Standard Base64 (RFC 4648, padded) for HTTP Basic credentials, without Foundation's `Data`.
public enum Base64: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` encoded.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let count = min(3, input.count - index)
            var chunk = UInt32(input[index]) << 16
            if count > 1 { chunk |= UInt32(input[index + 1]) << 8 }
            if count > 2 { chunk |= UInt32(input[index + 2]) }
            for position in 0..<4 {
                output.append(position <= count ? alphabet[Int(chunk >> UInt32(18 - position * 6) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
