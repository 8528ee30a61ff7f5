/// Moves a single node's SQLite journal into PostgreSQL, for a province going from one node to
/// several (`interlinkctl migrate-journal --to-postgres`).
///
/// Every row is copied as it is, keys included: transfer ids (so events still point at their
/// transfers), event sequences and their hashes, so the audit chain verifies on PostgreSQL
/// exactly as it did on SQLite and ends at the same tip. It runs in one PostgreSQL transaction:
/// a failure leaves the target as empty as it was. The SQLite daemon lock is held throughout,
/// so no daemon writes the source meanwhile; the source is only read.
public enum JournalCopy: Sendable {
    /// What was copied.
    public struct Report: Sendable {
        /// Rows copied per table, in copy order.
        public var rows: [(table: String, count: Int)] = []
        /// The source's last event, which the copy's chain must end at.
        public var tip: AuditChain.Link = .origin
    }

    /// One table: its columns (the same on both backends) and the order rows are read in.
    private struct Table {
        let name: String
        let columns: [String]
        let order: String
        /// Identity columns get their values from the source, not the sequence.
        var overriding = false
    }

    /// Parents before children: dossiers before the transfers that reference them.
    private static let tables = [
        Table(name: "metadata", columns: ["key", "value"], order: "key"),
        Table(name: "register_cursor", columns: ["id", "updated_since", "after_code", "advanced_at"], order: "id"),
        Table(name: "dossiers", columns: ["code", "version", "procedure_code", "updated_at", "outcome", "reasons", "seen_at", "outcome_at",
                                          "flags", "planned", "pending_changes", "purged_at"], order: "code, version"),
        Table(name: "dossier_payloads", columns: ["code", "version", "payload"], order: "code, version"),
        Table(name: "transfers", columns: ["id", "dossier_code", "dossier_version", "step", "agency", "operation", "state", "idempotency_key",
                                           "attempts", "next_attempt_at", "first_attempt_at", "receipt", "result", "reasons", "last_error",
                                           "created_at", "updated_at", "claimed_by", "claim_token", "ready_at", "request"], order: "id", overriding: true),
        Table(name: "events", columns: ["seq", "at", "level", "kind", "dossier_code", "dossier_version", "step", "agency", "transfer_id",
                                        "message", "detail", "hash"], order: "seq"),
        Table(name: "writebacks", columns: ["dossier_code", "dossier_version", "sequence", "outcome", "body", "idempotency_key", "state",
                                            "attempts", "next_attempt_at", "first_attempt_at", "last_error", "updated_at", "claimed_by",
                                            "claim_token", "target"], order: "dossier_code, target"),
        Table(name: "instances", columns: ["id", "host", "pid", "started_at", "heartbeat_at", "stopped_at", "status", "detail"], order: "id"),
        Table(name: "leases", columns: ["name", "holder", "token", "expires_at"], order: "name"),
        Table(name: "deadlines", columns: ["dossier_code", "step", "route", "agency", "starts_at", "due_at", "overdue_at", "settled_at"],
              order: "dossier_code, step"),
        Table(name: "incidents", columns: ["id", "service", "kind", "opened_at", "closed_at", "attempts", "dossiers", "first_error", "last_error"],
              order: "id", overriding: true),
        Table(name: "incident_dossiers", columns: ["incident_id", "dossier_code"], order: "incident_id, dossier_code"),
    ]

    /// Rows per INSERT: few round trips, well under PostgreSQL's parameter limit.
    private static let rowsPerInsert = 200

    /// Copies the SQLite journal at `path` into the empty PostgreSQL journal `target`,
    /// migrating both schemas first. Refuses a running daemon's journal (``JournalError/Code/inUse``)
    /// and a target that already holds dossiers or events.
    public static func sqliteToPostgres(from path: String, to target: PostgresJournalConfig,
                                        progress: (String, Int) -> Void = { _, _ in }) throws(JournalError) -> Report {
        guard FileBytes.exists(path) else { throw JournalError(code: .missing, message: "no SQLite journal at \(path); pass --journal PATH") }
        let lock = try SQLiteDaemonLock.take(journalPath: path)
        defer { withExtendedLifetime(lock) {} }
        // Brings an older journal to the schema the columns above describe.
        try SQLiteMigrations.migrate(try sqlite { () throws(SQLiteError) in try SQLiteConnection(path: path) })
        let source = try sqlite { () throws(SQLiteError) in try SQLiteConnection(path: path, readOnly: true) }
        let connection = try postgres { () throws(PostgresError) in try PostgresConnection(conninfo: target.conninfo, password: target.password?.value) }
        try PostgresMigrations.migrate(connection)
        return try postgres { () throws(PostgresError) -> Report in
            try connection.execute("BEGIN")
            do throws(PostgresError) {
                let report = try copy(from: source, into: connection, progress: progress)
                try connection.execute("COMMIT")
                return report
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    private static func copy(from source: SQLiteConnection, into target: PostgresConnection,
                             progress: (String, Int) -> Void) throws(PostgresError) -> Report {
        let held = try target.query("SELECT (SELECT COUNT(*) FROM dossiers) + (SELECT COUNT(*) FROM events) FROM chain_tip FOR UPDATE")
            .rows { $0.int64(0) }.first ?? 0
        guard held == 0 else {
            throw PostgresError(sqlstate: "55000", message: "the PostgreSQL journal already holds \(held) dossiers and events; "
                + "migrate into an empty database (or schema), never over a journal in use")
        }
        var report = Report()
        for table in tables {
            let count = try copy(table, from: source, into: target) { progress(table.name, $0) }
            report.rows.append((table.name, count))
        }
        // The copy's identity continues after the copied ids; its chain's tip is the source's.
        try target.query("SELECT setval(pg_get_serial_sequence('transfers', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM transfers")
        try target.query("SELECT setval(pg_get_serial_sequence('incidents', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM incidents")
        let tip = try target.query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").rows { row in
            AuditChain.Link(sequence: row.int64(0), hash: row.blob(1) ?? [])
        }.first ?? .origin
        try target.query("UPDATE chain_tip SET seq = ?, hash = ?", [.integer(tip.sequence), .blob(tip.hash)])
        // Their daemon is stopped (the lock proves it): its claims and leases are free at once.
        try target.execute("UPDATE instances SET stopped_at = heartbeat_at WHERE stopped_at IS NULL")
        report.tip = tip
        return report
    }

    private static func copy(_ table: Table, from source: SQLiteConnection, into target: PostgresConnection,
                             progress: (Int) -> Void) throws(PostgresError) -> Int {
        let columns = table.columns.joined(separator: ", ")
        let read: SQLiteStatement
        do {
            read = try source.prepare("SELECT \(columns) FROM \(table.name) ORDER BY \(table.order)")
        } catch {
            throw PostgresError(sqlstate: nil, message: "cannot read \(table.name) from the SQLite journal: \(error)")
        }
        var pending: [SQLValue] = []
        var count = 0
        func flush() throws(PostgresError) {
            guard !pending.isEmpty else { return }
            let rows = pending.count / table.columns.count
            let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
            try target.query("INSERT INTO \(table.name) (\(columns))\(table.overriding ? " OVERRIDING SYSTEM VALUE" : "") VALUES "
                             + Array(repeating: tuple, count: rows).joined(separator: ", "), pending)
            count += rows
            pending.removeAll(keepingCapacity: true)
            progress(count)
        }
        while true {
            let more: Bool
            do {
                more = try read.step()
            } catch {
                throw PostgresError(sqlstate: nil, message: "cannot read \(table.name) from the SQLite journal: \(error)")
            }
            guard more else { break }
            pending += (0..<Int32(table.columns.count)).map(read.value)
            if pending.count >= rowsPerInsert * table.columns.count { try flush() }
        }
        try flush()
        return count
    }

    /// The funnel for SQLite calls here: their failures become the journal's.
    private static func sqlite<T>(_ body: () throws(SQLiteError) -> T) throws(JournalError) -> T {
        do {
            return try body()
        } catch {
            throw JournalError(error)
        }
    }
}
