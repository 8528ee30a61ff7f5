import CCrypto

/// SHA-256 from libcrypto, for the journal's audit chain, content keys and request signatures.
public enum SHA256: Sendable {
    /// 32 zero bytes: the hash before the first event.
    public static let zero = [UInt8](repeating: 0, count: 32)

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                interlink_sha256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        precondition(ok == 1, "libcrypto's SHA-256 failed; the library is broken")
        return digest
    }

    /// HMAC-SHA256 of `bytes` under `key`, for request signatures.
    public static func hmac(key: [UInt8], _ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { secret in
            bytes.withUnsafeBytes { input in
                digest.withUnsafeMutableBufferPointer { output in
                    interlink_hmac_sha256(secret.baseAddress, Int32(secret.count), input.baseAddress, input.count, output.baseAddress)
                }
            }
        }
        precondition(ok == 1, "libcrypto's HMAC-SHA256 failed; the library is broken")
        return digest
    }

    /// Lower-case hex digits, as operators record a tip.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.string(bytes)
    }
}
