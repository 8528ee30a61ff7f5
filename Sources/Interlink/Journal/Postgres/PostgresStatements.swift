/// ``JournalStatements`` on PostgreSQL's writer connection, inside its transaction: the
/// shared SQL (``SQLStatements``), and what PostgreSQL does its own way.
///
/// The audit chain's tip is one row that every daemon's writer locks to append. To hold it
/// as briefly as possible, a transaction's events wait in ``pendingEvents`` and are chained
/// by ``appendPendingEvents()`` just before COMMIT: the lock is then held for one round
/// trip and the commit, and writers of several daemons overlap in everything else. A
/// transaction holding the tip takes no other lock after it, so the tip cannot be part of a
/// deadlock.
final class PostgresStatements: SQLStatements {
    let connection: PostgresConnection
    private var pendingEvents: [NewEvent] = []

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

    func perform(_ sql: String, _ values: [SQLValue]) throws(JournalError) {
        try postgres { () throws(PostgresError) in try connection.send(sql, values) }
    }

    /// Locks every version of the dossiers `codes`, in key order, without waiting for the
    /// answer (the next statement waits behind it). Taken first, these locks are the only
    /// ones two writers can queue for in opposite orders, so they cannot deadlock.
    func lockDossiers(_ codes: Set<String>) throws(JournalError) {
        guard !codes.isEmpty else { return }
        try perform("SELECT 1 FROM dossiers WHERE code = ANY(?::text[]) ORDER BY code, version FOR UPDATE", [.text(PostgresArray.text(codes.sorted()))])
    }

    /// Chains the transaction's events after the tip, locked now; call last before COMMIT.
    func appendPendingEvents() throws(JournalError) {
        guard !pendingEvents.isEmpty else { return }
        let tip = try select("SELECT seq, hash FROM chain_tip WHERE id = 1 FOR UPDATE", []) {
            AuditChain.Link(sequence: $0.int64(0), hash: $0.blob(1) ?? SHA256.zero)
        }.first ?? .origin
        let newTip = try writeChained(pendingEvents, after: tip)
        try perform("UPDATE chain_tip SET seq = ?, hash = ? WHERE id = 1", [.integer(newTip.sequence), .blob(newTip.hash)])
        pendingEvents.removeAll()
    }

    func insertTransfer(_ transfer: NewTransfer, at: Int64) throws(JournalError) -> Int64? {
        let (sql, values) = TransferInsertSQL.statement(transfer, at: at)
        return try select(sql + " RETURNING id", values) { $0.int64(0) }.first
    }

    func appendEvents(_ events: [NewEvent]) throws(JournalError) {
        pendingEvents += events
    }

    /// Delivered when the transaction commits; several of one channel in one transaction fold into one.
    func notify(_ channel: JournalChannel) throws(JournalError) {
        try perform("NOTIFY \(channel.rawValue)", [])
    }
}
