/// A journal operation that failed, with what kind of failure it was and what to do about it.
///
/// The kinds matter to callers: a busy journal is worth retrying in a moment, a full disk or
/// a read-only file needs an operator, a corrupt one needs a backup.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this was.
    public enum Code: String, Sendable, Hashable {
        /// Another process held the journal's lock past the busy timeout. Retry shortly.
        case busy
        /// Another daemon's transaction crossed this one (a deadlock or serialization failure
        /// the server broke by rolling this one back): nothing was written. Retry at once.
        case conflict
        /// The disk (or the database server's storage) is full.
        case full
        /// The journal is damaged.
        case corrupt
        /// The journal cannot be written: permissions, a read-only mount, a read-only replica.
        case readOnly = "read-only"
        /// The journal was written by a newer Interlink.
        case schemaTooNew = "schema-too-new"
        /// The database server cannot be reached (down, restarting, network). Retry later.
        case unavailable
        /// The database server refused our credentials.
        case unauthorized
        /// Another daemon already runs on this single-instance journal.
        case inUse = "in-use"
        /// No journal exists where one was expected.
        case missing
        /// The journal was closed.
        case closed
        /// Any other refusal by the database (a constraint, I/O, a bad statement).
        case storage
    }

    /// What kind of failure this was.
    public let code: Code
    /// What the database said, with where (file or server) and which statement.
    public let message: String

    /// A failure of kind `code`; `message` should name the journal and the database's own words.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }


    /// The message followed by what an operator should do.
    public var description: String {
        switch code {
        case .busy: "\(message); another process holds the journal: it is retried, or stop that process"
        case .conflict: "\(message); another node's transaction crossed this one and nothing was written: it is retried"
        case .full: "\(message); the disk is full: free space under the state directory"
        case .corrupt: "\(message); the journal is damaged: stop interlinkd and restore it from backup"
        case .readOnly: "\(message); the journal cannot be written: check its path, owner and permissions"
        case .unavailable: "\(message); the database is unreachable: it is retried; check the server and journal.postgres.conninfo"
        case .unauthorized: "\(message); the database refused our credentials: check journal.postgres.passwordFile and the role"
        case .inUse: "\(message); SQLite serves one daemon: stop the other, or use PostgreSQL for several nodes"
        case .schemaTooNew, .missing, .closed, .storage: message
        }
    }
}
