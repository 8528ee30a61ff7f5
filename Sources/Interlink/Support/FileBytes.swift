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
        return readToEnd(descriptor: descriptor, limit: limit)
    }

    /// Everything readable from `descriptor` until end of file (a pipe's writer closing), or
    /// `nil` on a read error or past `limit`. EINTR is retried: Foundation's
    /// `readDataToEndOfFile` traps on it, and a process that spawns children gets signals.
    public static func readToEnd(descriptor: Int32, limit: Int = 64 << 20) -> [UInt8]? {
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

    /// What one read of `descriptor` returns (at most `maximum` bytes, waiting until some
    /// arrive), retrying EINTR; empty at end of file or on an error.
    public static func readSome(descriptor: Int32, maximum: Int = 64 * 1024) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            return count > 0 ? Array(chunk[0..<count]) : []
        }
    }

    /// The bytes of the regular file at `path`, or why it cannot be one: a FIFO or a device
    /// would block a read (or never end it), so a config or secret path that names one is
    /// refused, never read. Opened non-blocking, so not even the open can hang.
    public static func readRegularFile(_ path: String, limit: Int = 64 << 20) -> Result<[UInt8], FileProblem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))) }
        var status = stat()
        let kind = fstat(descriptor, &status) == 0 ? status.st_mode & S_IFMT : 0
        close(descriptor)
        guard kind == S_IFREG else { return .failure(.notRegular(kind == S_IFIFO ? "a FIFO" : kind == S_IFDIR ? "a directory" : "not a regular file")) }
        guard let bytes = read(path, limit: limit) else { return .failure(.unreadable("read failed or larger than \(limit) bytes")) }
        return .success(bytes)
    }

    /// Why a path cannot be read as a regular file.
    public enum FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case notRegular(String)
        case unreadable(String)

        /// Fit to follow the path in a config error.
        public var description: String {
            switch self {
            case .missing: "does not exist"
            case .notRegular(let kind): "is \(kind), not a regular file; point it at a file"
            case .unreadable(let reason): "cannot be read (\(reason)); check its permissions"
            }
        }
    }

    /// Whether this process may write the file at `path` and the directory holding it (where
    /// SQLite keeps its `-wal` and `-shm`); false on a read-only mount too.
    public static func writable(_ path: String) -> Bool {
        access(path, W_OK) == 0 && access(directory(of: path), W_OK) == 0
    }

    /// The directory holding `path`: `.` for a bare name, `/` for a file at the root.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `name` inside `directory`, with one slash between.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The size of the file at `path` in bytes, or `nil` when there is none.
    public static func size(_ path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    /// Whether anything exists at `path` (`access(2)` with `F_OK`, following symbolic links).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
