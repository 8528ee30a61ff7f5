#if canImport(Glibc)
import Glibc
#endif

/// Who is acting, for the audit trail of replays, reviews and reveals: the user behind
/// `sudo` first, then the login name, then the numeric uid.
public enum ActingUser: Sendable {
    /// The acting user's name from `SUDO_USER` or `USER` in `environment`, else `uid:<number>`.
    public static func current(environment: [String: String]) -> String {
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        if let user = environment["USER"], !user.isEmpty { return user }
        return "uid:\(getuid())"
    }
}
