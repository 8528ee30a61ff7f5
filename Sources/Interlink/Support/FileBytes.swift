#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and atomic writes through POSIX calls, independent of Foundation's
/// file APIs so that behaviour on errors (EACCES, ENOENT) is plain and predictable.
public enum FileBytes: Sendable {
    /// The file's bytes, or `nil` when it cannot be opened or read.
    public static func read(_ path: String, limit: Int = 64 << 20) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            if result.count > limit { return nil }
        }
    }

    /// Whether anything exists at `path` (`access(2)` with `F_OK`, following symbolic links).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
