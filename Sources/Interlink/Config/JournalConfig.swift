/// Where the journal lives: the config's `journal` section.
public struct JournalConfig: Sendable, Hashable, CustomStringConvertible {
    /// The backend and how to reach it.
    public enum Backend: Sendable, Hashable {
        /// The embedded single-node journal: one SQLite file.
        case sqlite(path: String, busyTimeoutMs: Int)
    }

    /// The backend and how to reach it.
    public var backend: Backend

    /// A journal of the given backend.
    public init(backend: Backend) {
        self.backend = backend
    }

    /// The SQLite journal at `path`.
    public static func sqlite(path: String, busyTimeoutMs: Int = 5_000) -> JournalConfig {
        JournalConfig(backend: .sqlite(path: path, busyTimeoutMs: busyTimeoutMs))
    }

    /// Where the journal is, for people: the SQLite file's path.
    public var description: String {
        switch backend {
        case .sqlite(let path, _): path
        }
    }

    /// `$STATE_DIRECTORY/journal.sqlite` (the first directory systemd gives), else
    /// `/var/lib/interlink/journal.sqlite`.
    static func defaultPath(environment: [String: String]) -> String {
        let stateDirectory = environment["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) }
        return (stateDirectory ?? "/var/lib/interlink") + "/journal.sqlite"
    }

    init(reading object: ConfigObjectReader?, environment: [String: String]) {
        let path = object?.optionalString("path") ?? Self.defaultPath(environment: environment)
        let busy = object?.int("busyTimeoutMs", default: 5_000, in: 0...600_000) ?? 5_000
        object?.finish()
        self = .sqlite(path: path, busyTimeoutMs: busy)
    }
}
