extension SQLiteJournal {
    public func cursor() async throws(JournalError) -> RegisterCursor? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT updated_since, after_code FROM register_cursor WHERE id = 1").rows { row in
                RegisterCursor(updatedSince: row.string(0), afterCode: row.string(1))
            }.first
        }
    }

    public func metadata(_ key: String) async throws(JournalError) -> String? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT value FROM metadata WHERE key = ?").rows([.text(key)]) { $0.string(0) }.first
        }
    }

    public func dossier(code: String, version: Int) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(Self.dossierColumns) FROM dossiers WHERE code = ? AND version = ?")
                .rows([.text(code), .integer(Int64(version))], Self.decodeDossier).first
        }
    }

    public func latestDossier(code: String) async throws(JournalError) -> DossierRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(Self.dossierColumns) FROM dossiers WHERE code = ? ORDER BY version DESC LIMIT 1")
                .rows([.text(code)], Self.decodeDossier).first
        }
    }

    public func dossiersNeedingAttention(after: DossierKey?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        let start = after ?? DossierKey(code: "", version: 0)
        return try await read { session throws(SQLiteError) in
            try session.statement("""
                SELECT \(Self.dossierColumns) FROM dossiers INDEXED BY dossiers_needing_attention
                WHERE (planned = 0 OR pending_changes > 0) AND (code, version) > (?, ?) ORDER BY code, version LIMIT \(max(1, limit))
                """).rows([.text(start.code), .integer(Int64(start.version))], Self.decodeDossier)
        }
    }

    public func dossiers(outcome: DossierOutcome?, procedure: String?, since: Timestamp?, limit: Int) async throws(JournalError) -> [DossierRecord] {
        var filter = SQLFilter()
        filter.require("version = (SELECT MAX(version) FROM dossiers WHERE code = d.code)")
        filter.require("outcome", equals: outcome?.rawValue)
        filter.require("procedure_code", equals: procedure)
        if let since { filter.require("seen_at >= ?", .integer(since.millisecondsSinceEpoch)) }
        let sql = "SELECT \(Self.dossierColumns) FROM dossiers d \(filter.whereClause) ORDER BY seen_at DESC, code LIMIT \(max(1, limit))"
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, Self.decodeDossier)
        }
    }

    public func dossierWithTransfers(code: String, version: Int?, payload: Bool) async throws(JournalError) -> (dossier: DossierRecord?, transfers: [TransferRecord]) {
        let decode: @Sendable (SQLiteStatement) -> DossierRecord = { Self.decodeDossier($0, payload: payload) }
        return try await read { session throws(SQLiteError) in
            let dossier: DossierRecord?
            if let version {
                dossier = try session.statement("SELECT \(Self.dossierColumns) FROM dossiers WHERE code = ? AND version = ?")
                    .rows([.text(code), .integer(Int64(version))], decode).first
            } else {
                dossier = try session.statement("SELECT \(Self.dossierColumns) FROM dossiers WHERE code = ? ORDER BY version DESC LIMIT 1")
                    .rows([.text(code)], decode).first
            }
            let transfers = try session.statement("SELECT \(Self.transferColumns) FROM transfers WHERE dossier_code = ? ORDER BY id")
                .rows([.text(code)], Self.decodeTransfer)
            return (dossier, transfers)
        }
    }

    public func transfer(id: Int64) async throws(JournalError) -> TransferRecord? {
        try await read { session throws(SQLiteError) in
            try session.statement("SELECT \(Self.transferColumns) FROM transfers WHERE id = ?")
                .rows([.integer(id)], Self.decodeTransfer).first
        }
    }

    public func transfers(_ query: TransferQuery) async throws(JournalError) -> [TransferRecord] {
        var filter = SQLFilter()
        filter.require("state", in: query.states.map(\.rawValue))
        if let dueBy = query.dueBy {
            filter.require("(next_attempt_at IS NULL OR next_attempt_at <= ?)", .integer(dueBy.millisecondsSinceEpoch))
        }
        filter.require("agency", equals: query.agency)
        filter.require("dossier_code", equals: query.dossierCode)
        let order = query.dueBy != nil ? "ORDER BY next_attempt_at IS NOT NULL, next_attempt_at, id" : "ORDER BY id"
        let sql = "SELECT \(Self.transferColumns) FROM transfers \(filter.whereClause) \(order) LIMIT \(max(1, query.limit))"
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, Self.decodeTransfer)
        }
    }

    public func dueTransfers(dueBy: Timestamp, limits: [String: Int]) async throws(JournalError) -> [TransferRecord] {
        let agencies = limits.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        guard !agencies.isEmpty else { return [] }
        // Each agency gets its own LIMIT, so a large backlog at one cannot crowd out the others.
        // The state lists are literal so the partial indexes (migration 4) apply: each part
        // reads only as many index entries as its LIMIT, whatever the backlog.
        let part = """
            SELECT * FROM (SELECT \(Self.transferColumns) FROM transfers INDEXED BY transfers_scheduled
                WHERE agency = ? AND state IN ('retrying', 'accepted') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
            UNION ALL
            SELECT * FROM (SELECT \(Self.transferColumns) FROM transfers INDEXED BY transfers_unsent
                WHERE agency = ? AND state IN ('ready', 'sending') ORDER BY id LIMIT ?)
            """
        let sql = Array(repeating: part, count: agencies.count).joined(separator: " UNION ALL ")
        var values: [SQLiteValue] = []
        for (agency, limit) in agencies {
            values += [.text(agency), .integer(dueBy.millisecondsSinceEpoch), .integer(Int64(limit)), .text(agency), .integer(Int64(limit))]
        }
        let bound = values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, Self.decodeTransfer)
        }
    }

    public func events(_ query: EventQuery) async throws(JournalError) -> [EventRecord] {
        var filter = SQLFilter()
        filter.require("dossier_code", equals: query.dossierCode)
        filter.require("agency", equals: query.agency)
        if let level = query.minimumLevel {
            filter.require("level", in: LogLevel.allCases.filter { $0 <= level }.map(\.rawValue))
        }
        if let since = query.since { filter.require("at >= ?", .integer(since.millisecondsSinceEpoch)) }
        if let until = query.until { filter.require("at <= ?", .integer(until.millisecondsSinceEpoch)) }
        if let after = query.afterSequence { filter.require("seq > ?", .integer(after)) }
        // The newest `limit` events, returned oldest first, like a log.
        let sql = """
            SELECT * FROM (SELECT \(Self.eventColumns) FROM events \(filter.whereClause) ORDER BY seq DESC LIMIT \(max(1, query.limit)))
            ORDER BY seq
            """
        let bound = filter.values
        return try await read { session throws(SQLiteError) in
            try session.statement(sql).rows(bound, Self.decodeEvent)
        }
    }

    public func transferCounts() async throws(JournalError) -> TransferCounts {
        try await read { session throws(SQLiteError) in
            var counts = TransferCounts(byAgency: [:], oldestPending: [:])
            let rows = try session.statement("SELECT agency, state, COUNT(*), MIN(updated_at) FROM transfers GROUP BY agency, state")
                .rows { row in (row.string(0), TransferState(rawValue: row.string(1)), Int(row.int64(2)), row.int64(3)) }
            // One index seek per agency on (agency, state, updated_at), instead of a scan.
            let lastCompleted = try session.statement(
                "SELECT MAX(updated_at) FROM transfers INDEXED BY transfers_by_agency WHERE agency = ? AND state = 'completed'")
            for agency in Set(rows.map(\.0)) {
                if let last = try lastCompleted.rows([.text(agency)], { $0.optionalInt64(0) }).first ?? nil {
                    counts.lastCompleted[agency] = Timestamp(millisecondsSinceEpoch: last)
                }
            }
            for (agency, state, count, oldest) in rows {
                guard let state else { continue }
                counts.byAgency[agency, default: [:]][state] = count
                // Waiting transfers may be blocked for good (their earlier step was rejected); they are not pending work.
                if !state.isFinal, state != .waiting {
                    let stamp = Timestamp(millisecondsSinceEpoch: oldest)
                    counts.oldestPending[agency] = min(counts.oldestPending[agency] ?? stamp, stamp)
                }
            }
            return counts
        }
    }

    static let dossierColumns = "code, version, procedure_code, updated_at, payload, outcome, reasons, seen_at, flags, planned, pending_changes"

    static func decodeDossier(_ row: SQLiteStatement) -> DossierRecord {
        decodeDossier(row, payload: true)
    }

    static func decodeDossier(_ row: SQLiteStatement, payload parse: Bool) -> DossierRecord {
        let payload = parse ? row.optionalString(4).flatMap { try? JSONParser.parse($0) } ?? .null : .null
        let snapshot = DossierSnapshot(code: row.string(0), version: Int(row.int64(1)), procedureCode: row.string(2),
                                       updatedAt: row.string(3), payload: payload)
        return DossierRecord(snapshot: snapshot, outcome: DossierOutcome(rawValue: row.string(5)) ?? .inProgress,
                             reasons: row.optionalString(6).flatMap { try? JSONParser.parse($0) },
                             seenAt: Timestamp(millisecondsSinceEpoch: row.int64(7)),
                             flags: DossierFlags(json: row.optionalString(8).flatMap { try? JSONParser.parse($0) }),
                             planned: row.int64(9) != 0, pendingChanges: Int(row.int64(10)))
    }

    static let transferColumns = """
        id, dossier_code, dossier_version, step, agency, operation, state, idempotency_key, attempts, next_attempt_at,
        first_attempt_at, receipt, result, reasons, last_error, created_at, updated_at
        """

    static func decodeTransfer(_ row: SQLiteStatement) -> TransferRecord {
        TransferRecord(
            id: row.int64(0), dossierCode: row.string(1), dossierVersion: Int(row.int64(2)), step: row.string(3),
            agency: row.string(4), operation: row.string(5), state: TransferState(rawValue: row.string(6)) ?? .dead,
            idempotencyKey: row.string(7), attempts: Int(row.int64(8)),
            nextAttemptAt: row.optionalInt64(9).map(Timestamp.init(millisecondsSinceEpoch:)),
            firstAttemptAt: row.optionalInt64(10).map(Timestamp.init(millisecondsSinceEpoch:)),
            receipt: row.optionalString(11),
            result: row.optionalString(12).flatMap { try? JSONParser.parse($0) },
            reasons: row.optionalString(13).flatMap { try? JSONParser.parse($0) },
            lastError: row.optionalString(14),
            createdAt: Timestamp(millisecondsSinceEpoch: row.int64(15)),
            updatedAt: Timestamp(millisecondsSinceEpoch: row.int64(16)))
    }

    static let eventColumns = "seq, at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail"

    static func decodeEvent(_ row: SQLiteStatement) -> EventRecord {
        let event = NewEvent(
            at: Timestamp(millisecondsSinceEpoch: row.int64(1)), level: LogLevel(rawValue: row.string(2)) ?? .info,
            kind: EventKind(rawValue: row.string(3)) ?? .daemon, dossierCode: row.optionalString(4),
            dossierVersion: row.optionalInt64(5).map { Int($0) }, step: row.optionalString(6), agency: row.optionalString(7),
            transferID: row.optionalInt64(8), message: row.string(9),
            detail: row.optionalString(10).flatMap { try? JSONParser.parse($0) })
        return EventRecord(sequence: row.int64(0), event: event)
    }
}
