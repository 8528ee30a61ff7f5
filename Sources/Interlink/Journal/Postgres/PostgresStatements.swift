/// ``JournalStatements`` on PostgreSQL's writer connection, inside its transaction: the
/// shared SQL (``SQLStatements``), and what PostgreSQL does its own way.
///
/// The audit chain's tip is one row, locked for the transaction by ``lockChainTip()`` before
/// anything else, so the writers of every daemon append to one chain, one after another, and
/// always take their locks in the same order.
final class PostgresStatements: SQLStatements {
    let connection: PostgresConnection
    private var tip: AuditChain.Link?
    private var tipMoved = false

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    var dialect: SQLDialect { .postgres }

    func change(_ sql: String, _ values: [SQLValue]) throws(JournalError) -> Int {
        try postgres { () throws(PostgresError) in try connection.query(sql, values).changes }
    }

    func select<T>(_ sql: String, _ values: [SQLValue], _ decode: (PostgresRow) -> T) throws(JournalError) -> [T] {
        try postgres { () throws(PostgresError) in try connection.query(sql, values).rows(decode) }
    }

    /// Locks the chain's tip row for this transaction and reads it.
    func lockChainTip() throws(JournalError) {
        tip = try select("SELECT seq, hash FROM chain_tip WHERE id = 1 FOR UPDATE", []) {
            AuditChain.Link(sequence: $0.int64(0), hash: $0.blob(1) ?? SHA256.zero)
        }.first ?? .origin
    }

    /// Writes the tip back if events were appended; call before COMMIT.
    func saveChainTip() throws(JournalError) {
        guard tipMoved, let tip else { return }
        _ = try change("UPDATE chain_tip SET seq = ?, hash = ? WHERE id = 1", [.integer(tip.sequence), .blob(tip.hash)])
    }

    func insertTransfer(_ transfer: NewTransfer, at: Int64) throws(JournalError) -> Int64? {
        try select("""
            INSERT INTO transfers (dossier_code, dossier_version, step, agency, operation, state, idempotency_key, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
            """, [.text(transfer.dossierCode), .integer(Int64(transfer.dossierVersion)), .text(transfer.step), .text(transfer.agency),
                  .text(transfer.operation), .text(transfer.state.rawValue), .text(transfer.idempotencyKey), .integer(at), .integer(at)]) {
            $0.int64(0)
        }.first
    }

    func chainTip() throws(JournalError) -> AuditChain.Link {
        if tip == nil { try lockChainTip() }
        return tip ?? .origin
    }

    func appendEvent(_ event: NewEvent, sequence: Int64, hash: [UInt8]) throws(JournalError) {
        try appendEventRow(event, sequence: sequence, hash: hash)
        tip = AuditChain.Link(sequence: sequence, hash: hash)
        tipMoved = true
    }

    /// Delivered when the transaction commits; several of one channel in one transaction fold into one.
    func notify(_ channel: JournalChannel) throws(JournalError) {
        _ = try change("NOTIFY \(channel.rawValue)", [])
    }
}
