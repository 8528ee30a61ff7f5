/// The PostgreSQL journal's schema history. Each migration runs once, in one transaction
/// with the others pending, under a transaction-scoped advisory lock, so N daemons starting
/// at once migrate once (and the lock also works behind a transaction-pooling PgBouncer).
/// `interlink_schema` records the version. Never edit a released migration; append one.
enum PostgresMigrations {
    static let all: [String] = [
        // 1: the journal, with what several daemons sharing it need: instances, leases,
        // claims with fencing tokens, and the audit chain's tip as one lockable row.
        """
        CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE register_cursor (
            id INTEGER PRIMARY KEY CHECK (id = 1), updated_since TEXT NOT NULL, after_code TEXT NOT NULL, advanced_at BIGINT NOT NULL);
        CREATE TABLE dossiers (
            code TEXT NOT NULL, version INTEGER NOT NULL, procedure_code TEXT NOT NULL, updated_at TEXT NOT NULL, payload TEXT,
            outcome TEXT NOT NULL DEFAULT 'in-progress', reasons TEXT, seen_at BIGINT NOT NULL, outcome_at BIGINT, flags TEXT,
            planned INTEGER NOT NULL DEFAULT 0, pending_changes INTEGER NOT NULL DEFAULT 0, purged_at BIGINT,
            PRIMARY KEY (code, version));
        CREATE INDEX dossiers_needing_attention ON dossiers (code, version) WHERE planned = 0 OR pending_changes > 0;
        CREATE INDEX dossiers_by_seen ON dossiers (seen_at);
        CREATE INDEX dossiers_by_outcome ON dossiers (outcome, outcome_at);
        CREATE TABLE transfers (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, dossier_code TEXT NOT NULL, dossier_version INTEGER NOT NULL,
            step TEXT NOT NULL, agency TEXT NOT NULL, operation TEXT NOT NULL, state TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT, first_attempt_at BIGINT, receipt TEXT, result TEXT,
            reasons TEXT, last_error TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            claimed_by TEXT, claim_token BIGINT NOT NULL DEFAULT 0,
            UNIQUE (dossier_code, dossier_version, step),
            FOREIGN KEY (dossier_code, dossier_version) REFERENCES dossiers (code, version));
        CREATE INDEX transfers_unsent ON transfers (agency, id) WHERE state IN ('ready', 'sending');
        CREATE INDEX transfers_scheduled ON transfers (agency, next_attempt_at, id) WHERE state IN ('retrying', 'accepted', 'cancelling');
        CREATE INDEX transfers_by_agency ON transfers (agency, state, updated_at);
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, level TEXT NOT NULL, kind TEXT NOT NULL, dossier_code TEXT,
            dossier_version INTEGER, step TEXT, agency TEXT, transfer_id BIGINT, message TEXT NOT NULL, detail TEXT, hash BYTEA NOT NULL);
        CREATE INDEX events_by_dossier ON events (dossier_code, seq);
        CREATE INDEX events_by_agency ON events (agency, seq);
        CREATE INDEX events_by_level ON events (level, seq);
        CREATE INDEX events_by_time ON events (at);
        CREATE TABLE chain_tip (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash BYTEA NOT NULL);
        INSERT INTO chain_tip VALUES (1, 0, '\\x0000000000000000000000000000000000000000000000000000000000000000');
        CREATE TABLE writebacks (
            dossier_code TEXT PRIMARY KEY, dossier_version INTEGER NOT NULL, sequence INTEGER NOT NULL, outcome TEXT NOT NULL,
            body TEXT NOT NULL, idempotency_key TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT, first_attempt_at BIGINT, last_error TEXT, updated_at BIGINT NOT NULL,
            claimed_by TEXT, claim_token BIGINT NOT NULL DEFAULT 0);
        CREATE INDEX writebacks_due ON writebacks (next_attempt_at) WHERE state = 'pending';
        CREATE TABLE instances (
            id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, started_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL,
            stopped_at BIGINT, status TEXT, detail TEXT);
        CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT, token BIGINT NOT NULL DEFAULT 0, expires_at BIGINT NOT NULL DEFAULT 0);
        -- The hot tables churn: vacuum them after 1% of their rows changed, not the default 20%.
        ALTER TABLE transfers SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
        ALTER TABLE writebacks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
        ALTER TABLE dossiers SET (autovacuum_vacuum_scale_factor = 0.02);
        ALTER TABLE chain_tip SET (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0);
        ALTER TABLE leases SET (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0);
        ALTER TABLE instances SET (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0);
        """,
        // Claims read the order they ask for from an index, and never walk past work in
        // flight (see ClaimSQL).
        """
        CREATE INDEX writebacks_claimable ON writebacks ((COALESCE(next_attempt_at, 0))) WHERE state = 'pending';
        CREATE INDEX transfers_ready ON transfers (agency, id) WHERE state = 'ready';
        CREATE INDEX transfers_abandoned ON transfers (agency, id) WHERE state = 'sending';
        """,
        // When a step first became ready: its wait, which retries and receipt polls do not reset.
        """
        ALTER TABLE transfers ADD COLUMN ready_at BIGINT;
        """,
        // The request exactly as first sent, which every resend and replay sends again.
        """
        ALTER TABLE transfers ADD COLUMN request TEXT;
        """,
        // One write-back per dossier and target: the register, the portal's dossier sync, its progress report.
        """
        ALTER TABLE writebacks ADD COLUMN target TEXT NOT NULL DEFAULT 'register';
        ALTER TABLE writebacks DROP CONSTRAINT writebacks_pkey;
        ALTER TABLE writebacks ADD PRIMARY KEY (dossier_code, target);
        """,
        // Deadlines (a dossier's group, step '') and incidents, shared by every daemon: the
        // partial unique index lets one of them open an incident, however many try at once.
        """
        CREATE TABLE deadlines (
            dossier_code TEXT NOT NULL, step TEXT NOT NULL, route TEXT NOT NULL, agency TEXT NOT NULL,
            starts_at BIGINT NOT NULL, due_at BIGINT NOT NULL, overdue_at BIGINT, settled_at BIGINT,
            PRIMARY KEY (dossier_code, step));
        CREATE INDEX deadlines_open ON deadlines (due_at) WHERE settled_at IS NULL;
        CREATE TABLE incidents (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, service TEXT NOT NULL, kind TEXT NOT NULL, opened_at BIGINT NOT NULL,
            closed_at BIGINT, attempts INTEGER NOT NULL DEFAULT 0, dossiers INTEGER NOT NULL DEFAULT 0, first_error TEXT, last_error TEXT);
        CREATE UNIQUE INDEX incidents_open ON incidents (service, kind) WHERE closed_at IS NULL;
        CREATE TABLE incident_dossiers (
            incident_id BIGINT NOT NULL, dossier_code TEXT NOT NULL, PRIMARY KEY (incident_id, dossier_code));
        CREATE INDEX incident_dossiers_by_code ON incident_dossiers (dossier_code);
        """,
        // A dossier's payload in its own table, as on SQLite: reads of states and outcomes never carry it.
        """
        CREATE TABLE dossier_payloads (code TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT, PRIMARY KEY (code, version));
        INSERT INTO dossier_payloads (code, version, payload) SELECT code, version, payload FROM dossiers;
        ALTER TABLE dossiers DROP COLUMN payload;
        """,
        // Counts kept by triggers as rows change, per connection's shard (see TallySQL).
        TallySQL.postgres,
    ]

    static var latestVersion: Int { all.count }

    /// An arbitrary key for the migration's advisory lock ("interlnk" in ASCII).
    static let lockKey: Int64 = 0x696E_7465_726C_6E6B

    /// Brings the schema to ``latestVersion``; refuses a newer one than this binary knows.
    static func migrate(_ connection: PostgresConnection) throws(JournalError) {
        let current = try version(of: connection)
        guard current <= latestVersion else {
            throw JournalError(code: .schemaTooNew, message: "the PostgreSQL journal has schema version \(current), "
                + "but this Interlink knows only up to \(latestVersion); upgrade Interlink or restore a journal backup")
        }
        guard current < latestVersion else { return }
        try postgres { () throws(PostgresError) in
            try connection.execute("BEGIN")
            do throws(PostgresError) {
                try connection.query("SELECT pg_advisory_xact_lock(?)", [.integer(lockKey)])
                // Under the lock: CREATE TABLE IF NOT EXISTS is not safe against a concurrent one.
                try connection.execute("CREATE TABLE IF NOT EXISTS interlink_schema (version INTEGER NOT NULL)")
                // Read again under the lock: another daemon may have migrated meanwhile.
                let locked = Int(try connection.query("SELECT COALESCE(MAX(version), 0) FROM interlink_schema").rows { $0.int64(0) }.first ?? 0)
                guard locked <= latestVersion else {
                    throw PostgresError(sqlstate: nil, message: "another Interlink migrated the journal to schema \(locked) meanwhile; "
                        + "this one knows only up to \(latestVersion): upgrade it")
                }
                for (index, sql) in all.enumerated() where index + 1 > locked {
                    try connection.execute(sql)
                }
                if locked < latestVersion {
                    try connection.execute("DELETE FROM interlink_schema")
                    try connection.query("INSERT INTO interlink_schema (version) VALUES (?)", [.integer(Int64(latestVersion))])
                }
                try connection.execute("COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The schema's version; 0 before the first migration (no `interlink_schema` yet).
    static func version(of connection: PostgresConnection) throws(JournalError) -> Int {
        try postgres { () throws(PostgresError) in
            guard try connection.query("SELECT to_regclass('interlink_schema') IS NOT NULL").rows({ $0.string(0) }).first == "t" else { return 0 }
            return Int(try connection.query("SELECT COALESCE(MAX(version), 0) FROM interlink_schema").rows { $0.int64(0) }.first ?? 0)
        }
    }
}
