/// The queries that find claimable work, in SQL both backends run (one query per part, as
/// PostgreSQL locks rows only outside a UNION). Exclusions travel as one JSON array
/// parameter, so the statement text stays the same however many are excluded.
enum ClaimSQL {
    /// The claimable rows of one table: unclaimed, claimed by the asker, or claimed by an
    /// instance that is stopped or whose heartbeat is older than the cut-off.
    static let claimable = "(claimed_by IS NULL OR claimed_by = ? OR claimed_by NOT IN "
        + "(SELECT id FROM instances WHERE heartbeat_at >= ? AND stopped_at IS NULL))"

    /// `column` is not (or, with `negated` false, is) among the JSON array bound to it.
    static func notIn(_ column: String, integers: Bool, dialect: SQLDialect, negated: Bool = true) -> String {
        let operation = negated ? "NOT IN" : "IN"
        return switch dialect {
        case .sqlite: "\(column) \(operation) (SELECT value FROM json_each(?))"
        case .postgres: "\(column) \(operation) (SELECT jsonb_array_elements_text(?::jsonb)\(integers ? "::bigint" : ""))"
        }
    }

    /// Per agency, the parts of its claimable work in the order they are claimed, each to be
    /// run with the agency's remaining limit appended: what is scheduled and due (retries,
    /// follow-ups, cancellations, by due time); when the request asks, what was left in
    /// `sending` (a settle that failed, a dead instance's); then what was never sent, oldest
    /// first. Each part reads its own partial index, so in-flight rows are never walked past.
    static func dueTransfers(_ request: TransferClaimRequest, dialect: SQLDialect)
        -> [(agency: String, limit: Int, parts: [(sql: String, values: [SQLValue])])] {
        let lock = dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let filters = "\(notIn("id", integers: true, dialect: dialect)) AND \(notIn("dossier_code", integers: false, dialect: dialect)) AND \(claimable)"
        let excluded: [SQLValue] = [.text(JSONWriter.string(.array(request.excludingTransfers.sorted().map { .number(Double($0)) }))),
                                    .text(JSONWriter.string(.array(request.excludingDossiers.sorted().map(JSONValue.string)))),
                                    .text(request.owner), .integer(request.liveSince.millisecondsSinceEpoch)]
        let select = "SELECT \(JournalRows.transferColumns) FROM transfers WHERE agency = ?"
        return request.limits.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { agency, limit in
            var parts: [(String, [SQLValue])] = [("""
                \(select) AND state IN ('retrying', 'accepted', 'cancelling') AND next_attempt_at <= ? AND \(filters)
                ORDER BY next_attempt_at, id LIMIT ?\(lock)
                """, [.text(agency), .integer(request.dueBy.millisecondsSinceEpoch)] + excluded)]
            if request.includeAbandoned {
                parts.append(("\(select) AND state = 'sending' AND \(filters) ORDER BY id LIMIT ?\(lock)", [.text(agency)] + excluded))
            }
            parts.append(("\(select) AND state = 'ready' AND \(filters) ORDER BY id LIMIT ?\(lock)", [.text(agency)] + excluded))
            return (agency, limit, parts)
        }
    }

    /// Pending write-backs due and claimable, unscheduled first (as due at 0), then by due
    /// time: in the order of the `writebacks_claimable` index, so a claim reads a few index
    /// entries rather than sorting every pending write-back (it did, at 2 ms a claim). SQLite
    /// must be told: left to itself it picked `writebacks_by_state` and sorted them all, a
    /// fifth of the daemon's time at 5,000 dossiers.
    static func dueWriteBacks(_ request: WriteBackClaimRequest, dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        ("""
            SELECT \(JournalRows.writeBackColumns) FROM writebacks w \(dialect == .sqlite ? "INDEXED BY writebacks_claimable" : "")
            WHERE state = 'pending' AND COALESCE(next_attempt_at, 0) <= ?
            AND \(notIn("dossier_code", integers: false, dialect: dialect)) AND \(claimable)
            AND \(notIn("target", integers: false, dialect: dialect, negated: false))
            AND (target <> 'portal-progress' OR EXISTS (SELECT 1 FROM writebacks d WHERE d.dossier_code = w.dossier_code
                 AND d.target = 'portal-dossier' AND d.state = 'sent' AND d.dossier_version >= w.dossier_version))
            ORDER BY COALESCE(next_attempt_at, 0) LIMIT ?\(dialect == .postgres ? " FOR UPDATE OF w SKIP LOCKED" : "")
            """, [.integer(request.dueBy.millisecondsSinceEpoch), .text(JSONWriter.string(.array(request.excludingDossiers.sorted().map(JSONValue.string)))),
                  .text(request.owner), .integer(request.liveSince.millisecondsSinceEpoch),
                  .text(JSONWriter.string(.array(request.targets.sorted().map { .string($0.rawValue) }))), .integer(Int64(request.limit))])
    }

    /// Claims a write-back, compare-and-set on its token.
    static let claimWriteBack = """
        UPDATE writebacks SET claimed_by = ?, claim_token = claim_token + 1, updated_at = ? WHERE dossier_code = ? AND target = ? AND sequence = ? AND claim_token = ?
        """

    /// Applies a write-back attempt's result and releases the claim, fenced when asked.
    static func updateWriteBack(_ update: WriteBackUpdate, at: Int64) -> (sql: String, values: [SQLValue]) {
        var assignments = "state = ?, attempts = ?, next_attempt_at = ?, first_attempt_at = ?, last_error = ?, updated_at = ?, claimed_by = NULL"
        var values: [SQLValue] = [.text(update.state.rawValue), .integer(Int64(update.attempts)), SQLValue(update.nextAttemptAt?.millisecondsSinceEpoch),
                                  SQLValue(update.firstAttemptAt?.millisecondsSinceEpoch), SQLValue(update.lastError), .integer(at)]
        if let key = update.idempotencyKey {
            assignments += ", idempotency_key = ?"
            values.append(.text(key))
        }
        var sql = "UPDATE writebacks SET \(assignments) WHERE dossier_code = ? AND target = ? AND sequence = ?"
        values += [.text(update.dossierCode), .text(update.target.rawValue), .integer(Int64(update.sequence))]
        if let fence = update.fence {
            sql += " AND claim_token = ?"
            values.append(.integer(fence))
        }
        if let expected = update.expectedState {
            sql += " AND state = ?"
            values.append(.text(expected.rawValue))
        }
        return (sql, values)
    }

    /// Registers an instance or records its heartbeat.
    static let upsertInstance = """
        INSERT INTO instances (id, host, pid, started_at, heartbeat_at, stopped_at, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, stopped_at = excluded.stopped_at,
            status = excluded.status, detail = excluded.detail
        """

    static func instanceValues(_ beat: InstanceBeat) -> [SQLValue] {
        [.text(beat.id), .text(beat.host), .integer(Int64(beat.pid)), .integer(beat.startedAt.millisecondsSinceEpoch),
         .integer(beat.heartbeatAt.millisecondsSinceEpoch), SQLValue(beat.stoppedAt?.millisecondsSinceEpoch), .text(beat.status),
         .text(JSONWriter.string(beat.detail))]
    }

    /// Gives the lease to the asker when free, already its own, or held by a dead instance;
    /// the token grows only when the holder changes.
    static let takeLease = """
        INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, 1, ?)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
            token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END
        WHERE leases.holder IS NULL OR leases.holder = excluded.holder
            OR leases.holder NOT IN (SELECT id FROM instances WHERE heartbeat_at >= ? AND stopped_at IS NULL)
        """

    static let lease = "SELECT name, holder, token FROM leases WHERE name = ?"
    static let releaseLease = "UPDATE leases SET holder = NULL WHERE name = ? AND holder = ?"
    static let dossierState = "SELECT pending_changes, outcome FROM dossiers WHERE code = ? AND version = ?"
}
