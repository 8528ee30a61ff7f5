import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection. Not thread-safe: the journal confines each to one serial queue.
/// Public so tests and tools can run SQL beside the journal, as they do with SQLite.
///
/// Statements are prepared once per connection (their `?` placeholders numbered for
/// PostgreSQL) and run with text parameters. The password is passed to libpq on its own,
/// never inside the conninfo.
///
/// A journal connection is *pipelined* (see PostgresPipeline.swift): statements whose answer
/// nobody needs at once are sent without waiting, and their answers are read with the next
/// one that is waited for, so a transaction costs a round trip per answer it needs rather
/// than per statement.
public final class PostgresConnection {
    /// Nil after a failed reconnect; libpq answers a nil connection as a broken one
    /// (CONNECTION_BAD, no result, "connection pointer is NULL"), never by crashing.
    private(set) var handle: OpaquePointer?
    private let conninfo: String
    private let password: String?
    private var prepared: [String: String] = [:]
    /// Whether statements go through libpq's pipeline mode.
    let pipelined: Bool
    /// What the server still owes for statements sent without waiting, in the order it answers.
    var owed: [PostgresPipeline.Owed] = []

    /// Connects; the conninfo must not carry a password (the config refuses one).
    public init(conninfo: String, password: String?) throws(PostgresError) {
        self.conninfo = conninfo
        self.password = password
        pipelined = false
        handle = try Self.connect(conninfo: conninfo, password: password)
        try execute(Self.sessionSettings)
    }

    /// Connects in pipeline mode, non-blocking (as libpq asks of pipelines), for the journal.
    init(pipelinedTo conninfo: String, password: String?) throws(PostgresError) {
        self.conninfo = conninfo
        self.password = password
        pipelined = true
        handle = try Self.connect(conninfo: conninfo, password: password)
        try execute(Self.sessionSettings)
        try enterPipeline()
    }

    /// Every session's settings. A node paused (SIGSTOP, a frozen VM) inside a transaction
    /// would hold its locks, the audit chain's tip among them, and so stop every node: the
    /// server ends such a transaction after 2 s idle, well inside the shortest instance
    /// timeout; the paused node finds its connection gone when it wakes, and retries. No
    /// journal transaction waits on its client legitimately: statements are sent back to
    /// back. A lock wait past 30 s fails as busy, to be retried, rather than hanging.
    /// JIT is off: the journal's queries touch a few index pages each, but a correlated
    /// subquery's row estimate can push one past `jit_above_cost`, and compiling it then took
    /// 10 to 70 ms of a query that runs in under one (`interlinkctl dossiers` on 50,000 dossiers).
    static let sessionSettings = "SET client_min_messages = warning; SET idle_in_transaction_session_timeout = '2s'; SET lock_timeout = '30s'; SET jit = off"

    deinit {
        PQfinish(handle)  // a no-op for nil
    }

    /// A refusal at connect time carries no SQLSTATE, only libpq's words: these say the
    /// server refused who we are (wrong password, none, or no pg_hba.conf line for us), which
    /// no retry fixes; anything else (refused, timed out, starting up) may pass.
    static func refusedCredentials(_ message: String) -> Bool {
        ["authentication failed", "no password supplied", "pg_hba.conf"].contains { message.contains($0) }
    }

    private static func connect(conninfo: String, password: String?) throws(PostgresError) -> OpaquePointer {
        // No ~/.pgpass either: the password comes only from the config's passwordFile.
        var keywords = ["dbname", "passfile"]
        var values = [conninfo, "/dev/null"]
        if let password {
            keywords.append("password")
            values.append(password)
        }
        // `expand_dbname` reads the dbname value as a whole conninfo; later keywords override it.
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in PQconnectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw PostgresError(sqlstate: nil, message: "libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(sqlstate: refusedCredentials(message) ? "28000" : nil, message: message)
        }
        return connection
    }

    /// Whether the connection to the server is gone.
    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Connects again after the server went away; prepared statements start over. The old
    /// connection is freed first and forgotten, so a failed attempt never leaves a freed
    /// pointer behind (that crashed every node on a PostgreSQL restart).
    func reconnect() throws(PostgresError) {
        PQfinish(handle)
        handle = nil
        prepared.removeAll()
        owed.removeAll()
        handle = try Self.connect(conninfo: conninfo, password: password)
        try execute(Self.sessionSettings)
        if pipelined { try enterPipeline() }
    }

    /// Runs one or more statements that return nothing of interest (the simple protocol,
    /// which a pipeline cannot carry: it is left for the call, once its answers are read).
    public func execute(_ sql: String) throws(PostgresError) {
        guard pipelined else {
            _ = try check(PQexec(handle, sql), sql: sql)
            return
        }
        try settle()
        PQexitPipelineMode(handle)
        defer { PQenterPipelineMode(handle) }
        _ = try check(PQexec(handle, sql), sql: sql)
    }

    /// The first column of the first row of a query, as an integer (what tools and benchmarks
    /// ask of the server: a size, a count).
    public func scalarInt(_ sql: String) throws(PostgresError) -> Int64? {
        try query(sql).rows { $0.optionalInt64(0) }.first ?? nil
    }

    /// The first column of the first row as text, or nil when it is NULL or there is no row.
    public func scalarString(_ sql: String) throws(PostgresError) -> String? {
        try query(sql).rows { $0.optionalString(0) }.first ?? nil
    }

    /// Runs `sql` (with `?` placeholders) with `values`, preparing it on first use, and
    /// returns its result (in a pipeline, after the answers to everything sent before it).
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws(PostgresError) -> PostgresResult {
        guard pipelined else {
            let name = try statementName(sql, parameters: values.count)
            let texts = values.map(Self.text)
            let result = withOptionalCStrings(texts) { pointers in
                PQexecPrepared(handle, name, Int32(texts.count), pointers, nil, nil, 0)
            }
            return try check(result, sql: sql)
        }
        return try query(all: [(sql, values)])[0]
    }

    /// The prepared statement's name for `sql`, preparing it first: at once, or in a pipeline
    /// sent ahead of its first use (its answer is owed like any other).
    func statementName(_ sql: String, parameters: Int) throws(PostgresError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count + 1)"
        if pipelined {
            guard PQsendPrepare(handle, name, SQLDialect.numbered(sql), Int32(parameters), nil) == 1 else { throw failure(sql: sql) }
            owed.append(.answer(sql: sql, matters: true, kept: false))
        } else {
            _ = try check(PQprepare(handle, name, SQLDialect.numbered(sql), Int32(parameters), nil), sql: sql)
        }
        prepared[sql] = name
        return name
    }

    /// A value as libpq's text format: `bytea` as `\x` hex.
    static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): text
        case .blob(let bytes): "\\x" + Hex.string(bytes)
        }
    }

    /// The connection's own error (no result to read it from), as ``PostgresError``.
    func failure(sql: String?) -> PostgresError {
        PostgresError(sqlstate: nil, message: String(cString: PQerrorMessage(handle)), sql: sql)
    }

    /// The funnel every result passes through: errors become ``PostgresError``.
    func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresResult {
        guard let result else { throw failure(sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(result)
        default:
            let error = failure(of: result, sql: sql)
            PQclear(result)
            throw error
        }
    }

    /// A failed result as ``PostgresError``: no SQLSTATE when the connection is gone, since
    /// what failed then is the link, not the statement.
    func failure(of result: OpaquePointer, sql: String) -> PostgresError {
        let state = interlink_pq_sqlstate(result).map { String(cString: $0) }
        let message = interlink_pq_primary_message(result).map { String(cString: $0) } ?? String(cString: PQerrorMessage(handle))
        return PostgresError(sqlstate: isBroken ? nil : state, message: message, sql: sql)
    }

    /// The socket, for waiting on notifications.
    var socket: Int32 { PQsocket(handle) }

    /// Reads what the server sent and returns the notifications received, as (channel, payload).
    func notifications() throws(PostgresError) -> [(channel: String, payload: String)] {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(sqlstate: nil, message: String(cString: PQerrorMessage(handle)))
        }
        var received: [(String, String)] = []
        while let notice = PQnotifies(handle) {
            received.append((String(cString: notice.pointee.relname), String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        return received
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// Calls `body` with a C array of the strings, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStrings(strings.map(Optional.some), body)
}

/// Calls `body` with a C array of the strings (NULL for nil), valid only during the call.
func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}
