/// The journal's schema history. Each migration runs once, in its own transaction, and
/// `PRAGMA user_version` records the last one applied. Never edit a released migration;
/// append a new one.
enum SQLiteMigrations {
    struct Migration: Sendable {
        let version: Int
        let sql: String
        /// Work SQL cannot do, run in the same transaction after `sql`.
        var after: (@Sendable (SQLiteConnection) throws(SQLiteError) -> Void)?
    }

    static let all: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE metadata (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE register_cursor (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                updated_since TEXT NOT NULL,
                after_code TEXT NOT NULL,
                advanced_at INTEGER NOT NULL
            );
            CREATE TABLE dossiers (
                code TEXT NOT NULL,
                version INTEGER NOT NULL,
                procedure_code TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                payload TEXT,
                outcome TEXT NOT NULL DEFAULT 'in-progress',
                reasons TEXT,
                seen_at INTEGER NOT NULL,
                outcome_at INTEGER,
                PRIMARY KEY (code, version)
            ) WITHOUT ROWID;
            CREATE INDEX dossiers_by_outcome ON dossiers (outcome, seen_at);
            CREATE TABLE transfers (
                id INTEGER PRIMARY KEY,
                dossier_code TEXT NOT NULL,
                dossier_version INTEGER NOT NULL,
                step TEXT NOT NULL,
                agency TEXT NOT NULL,
                operation TEXT NOT NULL,
                state TEXT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                first_attempt_at INTEGER,
                receipt TEXT,
                result TEXT,
                reasons TEXT,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (dossier_code, dossier_version, step),
                FOREIGN KEY (dossier_code, dossier_version) REFERENCES dossiers (code, version)
            );
            CREATE INDEX transfers_by_state ON transfers (state, next_attempt_at);
            CREATE INDEX transfers_by_agency ON transfers (agency, state);
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                level TEXT NOT NULL,
                kind TEXT NOT NULL,
                dossier_code TEXT,
                dossier_version INTEGER,
                step TEXT,
                agency TEXT,
                transfer_id INTEGER,
                message TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX events_by_dossier ON events (dossier_code, seq);
            CREATE INDEX events_by_agency ON events (agency, seq);
            CREATE INDEX events_by_time ON events (at);
            """),
        Migration(version: 2, sql: """
            ALTER TABLE dossiers ADD COLUMN flags TEXT;
            ALTER TABLE dossiers ADD COLUMN planned INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE dossiers ADD COLUMN pending_changes INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX dossiers_needing_attention ON dossiers (code) WHERE planned = 0 OR pending_changes > 0;
            CREATE TABLE writebacks (
                dossier_code TEXT PRIMARY KEY,
                dossier_version INTEGER NOT NULL,
                sequence INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                body TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                first_attempt_at INTEGER,
                last_error TEXT,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX writebacks_by_state ON writebacks (state, next_attempt_at);
            """),
        Migration(version: 3, sql: """
            ALTER TABLE events ADD COLUMN hash BLOB;
            DROP INDEX transfers_by_agency;
            CREATE INDEX transfers_by_agency ON transfers (agency, state, updated_at);
            CREATE INDEX events_by_level ON events (level, seq);
            CREATE INDEX dossiers_by_seen ON dossiers (seen_at);
            ALTER TABLE dossiers ADD COLUMN purged_at INTEGER;
            """, after: chainExistingEvents),
        // What dispatch asks for, in the order it asks, whatever the backlog: without these it
        // sorted every ready transfer of an agency on each pass.
        Migration(version: 4, sql: """
            CREATE INDEX transfers_unsent ON transfers (agency, id) WHERE state IN ('ready', 'sending');
            CREATE INDEX transfers_scheduled ON transfers (agency, next_attempt_at, id) WHERE state IN ('retrying', 'accepted');
            """),
        // Receipt cancellations are transfer actions with their own due time, like retries.
        Migration(version: 5, sql: """
            DROP INDEX transfers_scheduled;
            CREATE INDEX transfers_scheduled ON transfers (agency, next_attempt_at, id) WHERE state IN ('retrying', 'accepted', 'cancelling');
            """),
        // Claims with fencing tokens, daemon instances and leases, as the PostgreSQL journal
        // has them: one daemon uses them here (the single-instance lock keeps it one).
        Migration(version: 6, sql: """
            ALTER TABLE transfers ADD COLUMN claimed_by TEXT;
            ALTER TABLE transfers ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE writebacks ADD COLUMN claimed_by TEXT;
            ALTER TABLE writebacks ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE instances (
                id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL,
                stopped_at INTEGER, status TEXT, detail TEXT) WITHOUT ROWID;
            CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT, token INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL DEFAULT 0)
                WITHOUT ROWID;
            """),
        // Claims read the order they ask for from an index, and never walk past work in
        // flight (see ClaimSQL).
        Migration(version: 7, sql: """
            CREATE INDEX writebacks_claimable ON writebacks (COALESCE(next_attempt_at, 0)) WHERE state = 'pending';
            CREATE INDEX transfers_ready ON transfers (agency, id) WHERE state = 'ready';
            CREATE INDEX transfers_abandoned ON transfers (agency, id) WHERE state = 'sending';
            """),
        // When a step first became ready: its wait, which retries and receipt polls do not reset.
        Migration(version: 8, sql: """
            ALTER TABLE transfers ADD COLUMN ready_at INTEGER;
            """),
        // The request exactly as first sent, which every resend and replay sends again.
        Migration(version: 9, sql: """
            ALTER TABLE transfers ADD COLUMN request TEXT;
            """),
    ] + recent

    /// Hashes events written before the audit chain existed, in order.
    static func chainExistingEvents(_ connection: SQLiteConnection) throws(SQLiteError) {
        let read = try connection.prepare("SELECT \(JournalRows.eventColumns) FROM events ORDER BY seq")
        let entries = try read.rows([], { JournalRows.auditEntry($0) })
        let write = try connection.prepare("UPDATE events SET hash = ? WHERE seq = ?")
        var previous = AuditChain.Link.origin
        for entry in entries {
            previous = AuditChain.link(after: previous, entry: entry)
            try write.run([.blob(previous.hash), .integer(entry.sequence)])
        }
    }

    static var latestVersion: Int { all.last?.version ?? 0 }

    /// Brings the database to ``latestVersion``; refuses a newer schema than this binary knows.
    /// The version is re-read inside the write transaction, so two processes opening a new
    /// journal at once (the daemon and `interlinkctl`) never apply a migration twice.
    static func migrate(_ connection: SQLiteConnection) throws(JournalError) {
        do {
            if try version(of: connection) == latestVersion { return }
            try connection.transaction { () throws(SQLiteError) in
                let current = try version(of: connection)
                for migration in all where migration.version > current {
                    try connection.execute(migration.sql)
                    try migration.after?(connection)
                    try connection.execute("PRAGMA user_version = \(migration.version)")
                }
            }
        } catch {
            throw JournalError(error)
        }
        let current = (try? version(of: connection)) ?? 0
        guard current <= latestVersion else {
            throw JournalError(code: .schemaTooNew, message: "the journal \(connection.path) has schema version \(current), "
                + "but this Interlink knows only up to \(latestVersion); upgrade Interlink or restore a journal backup")
        }
    }

    /// For a read-only open: the schema must already be this binary's, since nothing can be migrated.
    static func requireCurrent(_ connection: SQLiteConnection) throws(JournalError) {
        let current: Int
        do {
            current = try version(of: connection)
        } catch {
            throw JournalError(error)
        }
        if current > latestVersion {
            throw JournalError(code: .schemaTooNew, message: "the journal \(connection.path) has schema version \(current), "
                               + "but this Interlink knows only up to \(latestVersion); upgrade Interlink")
        }
        if current < latestVersion {
            throw JournalError(code: .readOnly, message: "the journal \(connection.path) has schema version \(current) and needs migrating to \(latestVersion), "
                               + "which a read-only open cannot do; start interlinkd (or any interlinkctl command) once with write access")
        }
    }

    private static func version(of connection: SQLiteConnection) throws(SQLiteError) -> Int {
        Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
    }
}
