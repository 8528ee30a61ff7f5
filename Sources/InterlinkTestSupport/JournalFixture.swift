public import Interlink

/// A journal backend the conformance suite runs against, by name: a Swift Testing argument.
public struct JournalBackend: Sendable, Hashable, CustomStringConvertible {
    /// `sqlite`, and later the others.
    public let name: String

    /// The embedded SQLite journal.
    public static let sqlite = JournalBackend(name: "sqlite")
    /// PostgreSQL, in the cluster `make test` starts.
    public static let postgres = JournalBackend(name: "postgres")

    /// Every backend: the conformance suite's arguments. PostgreSQL is always among them, so
    /// a missing test cluster fails the suite instead of skipping it.
    public static var all: [JournalBackend] { [.sqlite, .postgres] }

    public var description: String { name }

    /// A fresh, empty journal of this backend and the means to reach beneath it.
    public func makeFixture() throws -> any JournalFixture {
        switch name {
        case "postgres": try PostgresJournalFixture()
        default: try SQLiteJournalFixture()
        }
    }
}

/// One fresh journal under test, with what a conformance test needs beyond the protocol:
/// reopening it, and tampering with its storage the way an attacker with write access would.
public protocol JournalFixture: Sendable {
    /// The journal, opened through ``JournalFactory`` as the daemon opens it.
    var journal: any Journal { get }
    /// The config that names it.
    var config: JournalConfig { get }
    /// Runs raw SQL on the storage, outside the journal.
    func execute(_ sql: String) throws
    /// Marks the storage as written by a newer Interlink (schema version `version`).
    func setSchemaVersion(_ version: Int) throws
    /// Releases the storage.
    func close() async
}

extension JournalFixture {
    /// Opens the same journal again, as another process would.
    public func reopen() throws -> any Journal {
        try JournalFactory.open(config, access: .existing)
    }
}

/// A SQLite journal in a temporary directory.
public final class SQLiteJournalFixture: JournalFixture {
    private let directory: TemporaryDirectory
    public let journal: any Journal
    public let config: JournalConfig

    public init() throws {
        directory = try TemporaryDirectory()
        config = .sqlite(path: directory.file("journal.sqlite"))
        journal = try JournalFactory.open(config)
    }

    /// The database file.
    public var path: String { config.description }

    public func execute(_ sql: String) throws {
        try SQLiteConnection(path: path).execute(sql)
    }

    public func setSchemaVersion(_ version: Int) throws {
        try execute("PRAGMA user_version = \(version)")
    }

    public func close() async {
        await journal.close()
    }
}
