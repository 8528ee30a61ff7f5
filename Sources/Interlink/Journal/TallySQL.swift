/// The schema of `tallies`: how many transfers each agency has in each state, write-backs per
/// target, state and whether tried, and dossiers per outcome of their newest version. Triggers
/// keep the counts in the transaction that changes a row, so they are never stale and cost
/// a few rows to read however many years the journal holds.
///
/// A row is keyed by `shard` too. SQLite has one writer and uses shard 0. On PostgreSQL each
/// connection adds to the rows of its own backend (`pg_backend_pid()`): writers on several
/// nodes never wait for each other's counter rows, and never deadlock on them. Readers add
/// the shards up; a row may go to zero or below (a change counted by another shard), and
/// only the sum means anything.
enum TallySQL {
    /// Counts of what is already there, for the migration that creates the table.
    private static let backfill = """
        INSERT INTO tallies (kind, scope, state, tried, shard, n)
            SELECT 'transfer', agency, state, 0, 0, COUNT(*) FROM transfers GROUP BY agency, state;
        INSERT INTO tallies (kind, scope, state, tried, shard, n)
            SELECT 'writeback', target, state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END, 0, COUNT(*)
            FROM writebacks GROUP BY target, state, CASE WHEN attempts > 0 THEN 1 ELSE 0 END;
        """

    private static let table = """
        CREATE TABLE tallies (
            kind TEXT NOT NULL, scope TEXT NOT NULL, state TEXT NOT NULL, tried INTEGER NOT NULL,
            shard INTEGER NOT NULL, n BIGINT NOT NULL,
            PRIMARY KEY (kind, scope, state, tried, shard))
        """

    static let sqlite = table + " WITHOUT ROWID;\n" + backfill + """
        INSERT INTO tallies (kind, scope, state, tried, shard, n)
            SELECT 'dossier', '', outcome, 0, 0, COUNT(*) FROM (SELECT outcome, MAX(version) FROM dossiers GROUP BY code) GROUP BY outcome;
        \(sqliteTriggers(table: "transfers", kind: "transfer", scope: "agency", state: "state", tried: { _ in "0" }, watched: ["agency", "state"]))
        \(sqliteWritebackTriggers)
        -- A dossier counts by its newest version: a new version takes the place of the one before.
        CREATE TRIGGER dossiers_tally_insert AFTER INSERT ON dossiers
            WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE code = NEW.code AND version > NEW.version) BEGIN
            UPDATE tallies SET n = n - 1 WHERE kind = 'dossier' AND scope = '' AND tried = 0 AND shard = 0
                AND state = (SELECT outcome FROM dossiers WHERE code = NEW.code AND version < NEW.version ORDER BY version DESC LIMIT 1);
            \(sqliteAdd("'dossier'", "''", "NEW.outcome", "0", 1));
        END;
        CREATE TRIGGER dossiers_tally_update AFTER UPDATE OF outcome ON dossiers
            WHEN OLD.outcome IS NOT NEW.outcome AND NOT EXISTS (SELECT 1 FROM dossiers WHERE code = NEW.code AND version > NEW.version) BEGIN
            \(sqliteAdd("'dossier'", "''", "OLD.outcome", "0", -1));
            \(sqliteAdd("'dossier'", "''", "NEW.outcome", "0", 1));
        END;
        CREATE TRIGGER dossiers_tally_delete AFTER DELETE ON dossiers
            WHEN NOT EXISTS (SELECT 1 FROM dossiers WHERE code = OLD.code AND version > OLD.version) BEGIN
            \(sqliteAdd("'dossier'", "''", "OLD.outcome", "0", -1));
            INSERT INTO tallies (kind, scope, state, tried, shard, n)
                SELECT 'dossier', '', outcome, 0, 0, 1 FROM dossiers WHERE code = OLD.code ORDER BY version DESC LIMIT 1
                ON CONFLICT (kind, scope, state, tried, shard) DO UPDATE SET n = n + 1;
        END;
        """

    /// The write-back counts' triggers, made again whenever the table is rebuilt.
    static var sqliteWritebackTriggers: String {
        sqliteTriggers(table: "writebacks", kind: "writeback", scope: "target", state: "state", tried: { "\($0).attempts > 0" },
                       watched: ["target", "state", "attempts"])
    }

    /// A row's count moves with it: +1 for the new row, -1 for the old, the two when a keyed
    /// column changes. `tried` gives the tried flag of `OLD` or `NEW`.
    private static func sqliteTriggers(table: String, kind: String, scope: String, state: String, tried: (String) -> String,
                                       watched: [String]) -> String {
        func add(_ row: String, _ delta: Int) -> String { sqliteAdd("'\(kind)'", "\(row).\(scope)", "\(row).\(state)", tried(row), delta) }
        let changed = watched.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
        return """
            CREATE TRIGGER \(table)_tally_insert AFTER INSERT ON \(table) BEGIN \(add("NEW", 1)); END;
            CREATE TRIGGER \(table)_tally_update AFTER UPDATE OF \(watched.joined(separator: ", ")) ON \(table)
                WHEN \(changed) BEGIN \(add("OLD", -1)); \(add("NEW", 1)); END;
            CREATE TRIGGER \(table)_tally_delete AFTER DELETE ON \(table) BEGIN \(add("OLD", -1)); END;
            """
    }

    private static func sqliteAdd(_ kind: String, _ scope: String, _ state: String, _ tried: String, _ delta: Int) -> String {
        "INSERT INTO tallies (kind, scope, state, tried, shard, n) VALUES (\(kind), \(scope), \(state), \(tried), 0, \(delta)) "
            + "ON CONFLICT (kind, scope, state, tried, shard) DO UPDATE SET n = n + \(delta)"
    }

    static let postgres = table + ";\n" + backfill + """
        INSERT INTO tallies (kind, scope, state, tried, shard, n)
            SELECT 'dossier', '', outcome, 0, 0, COUNT(*)
            FROM (SELECT DISTINCT ON (code) outcome FROM dossiers ORDER BY code, version DESC) newest GROUP BY outcome;
        CREATE FUNCTION interlink_tally(k TEXT, s TEXT, st TEXT, t INTEGER, delta INTEGER) RETURNS void LANGUAGE sql AS $$
            INSERT INTO tallies (kind, scope, state, tried, shard, n) VALUES (k, s, st, t, pg_backend_pid(), delta)
            ON CONFLICT (kind, scope, state, tried, shard) DO UPDATE SET n = tallies.n + EXCLUDED.n $$;
        CREATE FUNCTION transfers_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF TG_OP <> 'INSERT' THEN PERFORM interlink_tally('transfer', OLD.agency, OLD.state, 0, -1); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM interlink_tally('transfer', NEW.agency, NEW.state, 0, 1); END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER transfers_tally AFTER INSERT OR DELETE ON transfers FOR EACH ROW EXECUTE FUNCTION transfers_tally();
        CREATE TRIGGER transfers_tally_update AFTER UPDATE OF agency, state ON transfers FOR EACH ROW
            WHEN (OLD.agency IS DISTINCT FROM NEW.agency OR OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION transfers_tally();
        CREATE FUNCTION writebacks_tally() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF TG_OP <> 'INSERT' THEN PERFORM interlink_tally('writeback', OLD.target, OLD.state, (OLD.attempts > 0)::int, -1); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM interlink_tally('writeback', NEW.target, NEW.state, (NEW.attempts > 0)::int, 1); END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER writebacks_tally AFTER INSERT OR DELETE ON writebacks FOR EACH ROW EXECUTE FUNCTION writebacks_tally();
        CREATE TRIGGER writebacks_tally_update AFTER UPDATE OF target, state, attempts ON writebacks FOR EACH ROW
            WHEN (OLD.target IS DISTINCT FROM NEW.target OR OLD.state IS DISTINCT FROM NEW.state OR (OLD.attempts > 0) <> (NEW.attempts > 0))
            EXECUTE FUNCTION writebacks_tally();
        -- A dossier counts by its newest version: a new version takes the place of the one before.
        CREATE FUNCTION dossiers_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            the_code TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.code ELSE NEW.code END;
            the_version INTEGER := CASE WHEN TG_OP = 'DELETE' THEN OLD.version ELSE NEW.version END;
            other TEXT;
        BEGIN
            IF EXISTS (SELECT 1 FROM dossiers WHERE code = the_code AND version > the_version) THEN RETURN NULL; END IF;
            IF TG_OP = 'INSERT' THEN
                SELECT outcome INTO other FROM dossiers WHERE code = the_code AND version < the_version ORDER BY version DESC LIMIT 1;
                IF FOUND THEN PERFORM interlink_tally('dossier', '', other, 0, -1); END IF;
            ELSE
                PERFORM interlink_tally('dossier', '', OLD.outcome, 0, -1);
            END IF;
            IF TG_OP = 'DELETE' THEN
                SELECT outcome INTO other FROM dossiers WHERE code = the_code ORDER BY version DESC LIMIT 1;
                IF FOUND THEN PERFORM interlink_tally('dossier', '', other, 0, 1); END IF;
            ELSE
                PERFORM interlink_tally('dossier', '', NEW.outcome, 0, 1);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER dossiers_tally AFTER INSERT OR DELETE ON dossiers FOR EACH ROW EXECUTE FUNCTION dossiers_tally();
        CREATE TRIGGER dossiers_tally_update AFTER UPDATE OF outcome ON dossiers FOR EACH ROW
            WHEN (OLD.outcome IS DISTINCT FROM NEW.outcome) EXECUTE FUNCTION dossiers_tally();
        """
}
