#if canImport(Glibc)
import Glibc
#endif

/// Who is acting, for the audit trail of replays, reviews, purges and reveals. It comes from
/// the kernel: the real uid and its account name. `$USER` is never read, since anyone can set
/// it. Only when the real uid is 0 does `sudo`'s record of who ran it (`SUDO_UID` and
/// `SUDO_USER`) count, since only root could have set those for a root process.
public enum ActingUser: Sendable {
    /// `name (uid N)`, or `root via sudo from name (uid N)`.
    public static func current(environment: [String: String]) -> String {
        let uid = getuid()
        let name = accountName(uid) ?? "uid:\(uid)"
        guard uid == 0, let sudoUID = environment["SUDO_UID"].flatMap({ UInt32($0) }) else { return "\(name) (uid \(uid))" }
        let sudoName = accountName(sudoUID) ?? environment["SUDO_USER"] ?? "uid:\(sudoUID)"
        return "\(name) via sudo from \(sudoName) (uid \(sudoUID))"
    }

    /// The account name of `uid` from the password database, if it has one.
    static func accountName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4_096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }
}
