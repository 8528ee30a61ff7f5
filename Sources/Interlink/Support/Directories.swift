#if canImport(Glibc)
import Glibc
#endif

/// Creates directories the daemon owns, with owner-only permissions.
public enum Directories: Sendable {
    /// A directory that could not be created.
    public struct CreateError: Error, Sendable, CustomStringConvertible {
        /// The directory that failed, not necessarily the innermost one asked for.
        public let path: String
        /// The `errno` that `mkdir` set.
        public let errno: Int32
        /// The path and the system's explanation of `errno`.
        public var description: String { "cannot create directory \(path): \(String(cString: strerror(errno)))" }
    }

    /// Creates the directory holding `file` and any missing parents (like `mkdir -p`).
    public static func createParent(of file: String) throws(CreateError) {
        guard let slash = file.lastIndex(of: "/") else { return }
        var path = file.hasPrefix("/") ? "/" : ""
        for component in file[..<slash].split(separator: "/") {
            path += component
            if mkdir(path, 0o700) != 0, errno != EEXIST { throw CreateError(path: path, errno: errno) }
            path += "/"
        }
    }
}
