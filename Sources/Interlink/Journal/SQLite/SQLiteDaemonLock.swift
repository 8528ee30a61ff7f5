#if canImport(Glibc)
import Glibc
#endif

/// The lock that keeps a SQLite journal to one daemon: `flock` on `journal.sqlite.lock`
/// beside it, held for the daemon's life and let go by the kernel however it ends (kill -9
/// included), so a crash never leaves a stale lock. A second daemon on the same file would
/// take over the first one's claims as soon as it registered (SQLite has no other node to
/// wait for), so it is refused instead; operators' tools never take this lock.
public final class SQLiteDaemonLock: Sendable {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the lock of the journal at `journalPath`, or refuses with
    /// ``JournalError/Code/inUse`` naming the daemon that holds it.
    public static func take(journalPath: String) throws(JournalError) -> SQLiteDaemonLock {
        let path = journalPath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw JournalError(code: .readOnly, message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = FileBytes.read(path).flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").first.map(String.init) }
            close(descriptor)
            throw JournalError(code: .inUse, message: "another interlinkd (\(holder.map { "pid \($0)" } ?? "pid unknown")) runs on the journal \(journalPath)")
        }
        // The holder's pid, for the message a second daemon prints; the lock itself is the flock.
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) == 0 { _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } }
        return SQLiteDaemonLock(descriptor: descriptor, path: path)
    }

    deinit {
        close(descriptor)
    }
}
