#if canImport(Glibc)
import Glibc
#endif

/// Writes whole buffers to a descriptor, retrying short writes and EINTR.
public enum FileDescriptorWriter: Sendable {
    /// Writes all of `bytes` to `descriptor`; `false` when a write fails with anything but EINTR.
    @discardableResult
    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
