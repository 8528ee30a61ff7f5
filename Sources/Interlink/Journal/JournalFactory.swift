/// Builds the journal a configuration names: the one place a backend is chosen and opened.
public enum JournalFactory: Sendable {
    /// Whether opening may create a new journal.
    public enum Access: Sendable {
        /// Create the journal (and its directory) if there is none: the daemon.
        case create
        /// Refuse with ``JournalError/Code/missing`` when there is none: operators' tools,
        /// which must never start an empty journal beside the real one.
        case existing
        /// Like `existing`, and when the SQLite file (or its mount) is not writable, open it
        /// read-only: reading tools work for an operator with read access only.
        case existingOrReadOnly
    }

    /// Opens the journal `config` names, migrating its schema; a schema newer than this
    /// binary knows is refused with ``JournalError/Code/schemaTooNew``.
    public static func open(_ config: JournalConfig, access: Access = .create) throws(JournalError) -> any Journal {
        switch config.backend {
        case .sqlite(let path, let busyTimeoutMs):
            switch access {
            case .existing, .existingOrReadOnly:
                guard FileBytes.exists(path) else {
                    throw JournalError(code: .missing, message: "no journal at \(path); pass --journal PATH, or check journal.path in the config")
                }
                if access == .existingOrReadOnly, !FileBytes.writable(path) {
                    return try SQLiteJournal(path: path, busyTimeoutMs: busyTimeoutMs, readOnly: true)
                }
            case .create:
                do {
                    try Directories.createParent(of: path)
                } catch {
                    throw JournalError(code: .readOnly, message: "\(error) for the journal \(path)")
                }
            }
            return try SQLiteJournal(path: path, busyTimeoutMs: busyTimeoutMs)
        case .postgres(let postgres):
            // A PostgreSQL journal is created by its first daemon's migration; tools find it
            // missing only as an empty schema, which migrating makes ready.
            return try PostgresJournal(conninfo: postgres.conninfo, password: postgres.password?.value, oneConnection: access != .create)
        }
    }
}
