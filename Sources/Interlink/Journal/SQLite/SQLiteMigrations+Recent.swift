/// The migrations since write-backs gained targets (version 10 on), kept apart so that
/// neither file outgrows one screenful of schema history.
extension SQLiteMigrations {
    static let recent: [Migration] = [
        // A dossier has one write-back per target (the register, and the national portal's
        // dossier sync and progress report): the key becomes (dossier, target). SQLite cannot
        // change a primary key in place, so the table is rebuilt with its rows.
        Migration(version: 10, sql: """
            CREATE TABLE writebacks_by_target (
                dossier_code TEXT NOT NULL,
                target TEXT NOT NULL DEFAULT 'register',
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
                updated_at INTEGER NOT NULL,
                claimed_by TEXT,
                claim_token INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (dossier_code, target)
            ) WITHOUT ROWID;
            INSERT INTO writebacks_by_target (dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts,
                next_attempt_at, first_attempt_at, last_error, updated_at, claimed_by, claim_token)
            SELECT dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts,
                next_attempt_at, first_attempt_at, last_error, updated_at, claimed_by, claim_token FROM writebacks;
            DROP TABLE writebacks;
            ALTER TABLE writebacks_by_target RENAME TO writebacks;
            CREATE INDEX writebacks_by_state ON writebacks (state, next_attempt_at);
            CREATE INDEX writebacks_claimable ON writebacks (COALESCE(next_attempt_at, 0)) WHERE state = 'pending';
            """),
        // Deadlines (a dossier's group, step '') and incidents. Open rows are few: the indexes
        // keep the deadline sweep and `overdue` flat in the journal's size.
        Migration(version: 11, sql: """
            CREATE TABLE deadlines (
                dossier_code TEXT NOT NULL, step TEXT NOT NULL, route TEXT NOT NULL, agency TEXT NOT NULL,
                starts_at INTEGER NOT NULL, due_at INTEGER NOT NULL, overdue_at INTEGER, settled_at INTEGER,
                PRIMARY KEY (dossier_code, step)) WITHOUT ROWID;
            CREATE INDEX deadlines_open ON deadlines (due_at) WHERE settled_at IS NULL;
            CREATE TABLE incidents (
                id INTEGER PRIMARY KEY, service TEXT NOT NULL, kind TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0, dossiers INTEGER NOT NULL DEFAULT 0, first_error TEXT, last_error TEXT);
            CREATE UNIQUE INDEX incidents_open ON incidents (service, kind) WHERE closed_at IS NULL;
            CREATE TABLE incident_dossiers (
                incident_id INTEGER NOT NULL, dossier_code TEXT NOT NULL, PRIMARY KEY (incident_id, dossier_code)) WITHOUT ROWID;
            CREATE INDEX incident_dossiers_by_code ON incident_dossiers (dossier_code);
            """),
        // A dossier's payload (a few kilobytes) moves to its own table: in the dossiers row it
        // spilled to overflow pages that every read of a state, an outcome or a flag walked.
        Migration(version: 12, sql: """
            CREATE TABLE dossier_payloads (code TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT, PRIMARY KEY (code, version));
            INSERT INTO dossier_payloads (code, version, payload) SELECT code, version, payload FROM dossiers;
            ALTER TABLE dossiers DROP COLUMN payload;
            """),
        // A write-back's body (about a kilobyte) moves to the end of its row: in the middle, every
        // row a claim looked at spilled to the overflow pages that hold the state, the claim and
        // the due time. SQLite reads a row's columns in order, so now the body is read only when sent.
        Migration(version: 13, sql: rebuildWritebacks(rowid: false)),
        // Counts kept as rows change (`tallies`), so `status`, `/metrics` and the stalled-queue
        // check read a few rows instead of scanning every transfer, write-back and dossier of
        // years of history. Triggers keep them in the same transaction as the change.
        Migration(version: 14, sql: TallySQL.sqlite),
        // Write-backs become an ordinary (rowid) table. Without a rowid, SQLite keeps a row
        // inside its key's b-tree, where a row over about a kilobyte (most write-backs, with
        // their body) spills to an overflow page of its own, and interior pages hold whole rows:
        // every claim and every sent mark rewrote a page or two per write-back, scattered by
        // dossier code. Now rows sit in the order they were written, a few to a page.
        Migration(version: 15, sql: """
            \(rebuildWritebacks(rowid: true))
            \(TallySQL.sqliteWritebackTriggers)
            """),
    ]

    /// Rebuilds `writebacks` with its rows under the current column order (the body last, so
    /// a claim reads it only when it sends), as a rowid table or not. Dropping the old table
    /// drops its indexes and triggers, so they are made again by the caller.
    static func rebuildWritebacks(rowid: Bool) -> String {
        let columns = "dossier_code, target, dossier_version, sequence, outcome, idempotency_key, state, attempts, "
            + "next_attempt_at, first_attempt_at, last_error, updated_at, claimed_by, claim_token, body"
        return """
            CREATE TABLE writebacks_rebuilt (
                dossier_code TEXT NOT NULL,
                target TEXT NOT NULL DEFAULT 'register',
                dossier_version INTEGER NOT NULL,
                sequence INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER,
                first_attempt_at INTEGER,
                last_error TEXT,
                updated_at INTEGER NOT NULL,
                claimed_by TEXT,
                claim_token INTEGER NOT NULL DEFAULT 0,
                body TEXT NOT NULL,
                PRIMARY KEY (dossier_code, target)
            )\(rowid ? "" : " WITHOUT ROWID");
            INSERT INTO writebacks_rebuilt (\(columns)) SELECT \(columns) FROM writebacks;
            DROP TABLE writebacks;
            ALTER TABLE writebacks_rebuilt RENAME TO writebacks;
            CREATE INDEX writebacks_by_state ON writebacks (state, next_attempt_at);
            CREATE INDEX writebacks_claimable ON writebacks (COALESCE(next_attempt_at, 0)) WHERE state = 'pending';
            """
    }
}
