/// The columns the journal reads and how a row becomes a record: the same for every SQL
/// backend, whose schemas name and order these columns alike.
enum JournalRows {
    /// A dossier's columns from `dossiers d`, and its payload from `dossier_payloads` only when
    /// asked: the payload (a few kilobytes) lives apart so that reading states, outcomes and
    /// flags never walks through it. `hint` follows the table (SQLite's `INDEXED BY`).
    static func dossierSelect(payload: Bool, hint: String = "") -> String {
        let columns = "d.code, d.version, d.procedure_code, d.updated_at, \(payload ? "p.payload" : "NULL"), d.outcome, d.reasons, d.seen_at, "
            + "d.flags, d.planned, d.pending_changes"
        return "SELECT \(columns) FROM dossiers d \(hint)"
            + (payload ? " LEFT JOIN dossier_payloads p ON p.code = d.code AND p.version = d.version" : "")
    }

    static func dossier(_ row: some SQLRow) -> DossierRecord {
        dossier(row, payload: true)
    }

    /// Without `payload`, the payload stays `.null`: parsing it is the costly part.
    static func dossier(_ row: some SQLRow, payload parse: Bool) -> DossierRecord {
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
        first_attempt_at, receipt, result, reasons, last_error, created_at, updated_at, claimed_by, claim_token, request
        """

    static func transfer(_ row: some SQLRow) -> TransferRecord {
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
            updatedAt: Timestamp(millisecondsSinceEpoch: row.int64(16)), claimedBy: row.optionalString(17), claimToken: row.int64(18),
            request: row.optionalString(19))
    }

    static let eventColumns = "seq, at, level, kind, dossier_code, dossier_version, step, agency, transfer_id, message, detail, hash"

    /// The event as stored, for the audit chain: nothing decoded but the detail's JSON.
    static func auditEntry(_ row: some SQLRow) -> AuditEntry {
        AuditEntry(sequence: row.int64(0), at: row.int64(1), level: row.string(2), kind: row.string(3), dossierCode: row.optionalString(4),
                   dossierVersion: row.optionalInt64(5), step: row.optionalString(6), agency: row.optionalString(7),
                   transferID: row.optionalInt64(8), message: row.string(9), detail: row.optionalString(10).flatMap { try? JSONParser.parse($0) },
                   hash: row.blob(11), detailText: row.optionalString(10))
    }

    static func event(_ row: some SQLRow) -> EventRecord {
        let event = NewEvent(
            at: Timestamp(millisecondsSinceEpoch: row.int64(1)), level: LogLevel(rawValue: row.string(2)) ?? .info,
            kind: EventKind(rawValue: row.string(3)) ?? .daemon, dossierCode: row.optionalString(4),
            dossierVersion: row.optionalInt64(5).map { Int($0) }, step: row.optionalString(6), agency: row.optionalString(7),
            transferID: row.optionalInt64(8), message: row.string(9),
            detail: row.optionalString(10).flatMap { try? JSONParser.parse($0) })
        return EventRecord(sequence: row.int64(0), event: event)
    }

    static let writeBackColumns = """
        dossier_code, dossier_version, sequence, outcome, body, idempotency_key, state, attempts, next_attempt_at, first_attempt_at, last_error,
        claimed_by, claim_token, target
        """

    static func writeBack(_ row: some SQLRow) -> WriteBackRecord {
        WriteBackRecord(
            dossierCode: row.string(0), dossierVersion: Int(row.int64(1)), sequence: Int(row.int64(2)),
            outcome: DossierOutcome(rawValue: row.string(3)) ?? .inProgress, body: row.string(4), idempotencyKey: row.string(5),
            state: WriteBackState(rawValue: row.string(6)) ?? .pending, attempts: Int(row.int64(7)),
            nextAttemptAt: row.optionalInt64(8).map(Timestamp.init(millisecondsSinceEpoch:)),
            firstAttemptAt: row.optionalInt64(9).map(Timestamp.init(millisecondsSinceEpoch:)),
            lastError: row.optionalString(10), claimedBy: row.optionalString(11), claimToken: row.int64(12),
            target: WriteBackTarget(rawValue: row.string(13)) ?? .register)
    }

    static let instanceColumns = "id, host, pid, started_at, heartbeat_at, stopped_at, status, detail"

    static func instance(_ row: some SQLRow) -> InstanceBeat {
        InstanceBeat(id: row.string(0), host: row.string(1), pid: Int(row.int64(2)), startedAt: Timestamp(millisecondsSinceEpoch: row.int64(3)),
                     heartbeatAt: Timestamp(millisecondsSinceEpoch: row.int64(4)), stoppedAt: row.optionalInt64(5).map(Timestamp.init(millisecondsSinceEpoch:)),
                     status: row.string(6), detail: row.optionalString(7).flatMap { try? JSONParser.parse($0) } ?? [:])
    }

    static func lease(_ row: some SQLRow) -> LeaseRecord {
        LeaseRecord(name: row.string(0), holder: row.optionalString(1), token: row.int64(2))
    }
}
