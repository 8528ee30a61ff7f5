/// One count the tally triggers keep (see ``TallySQL``), summed over the writers' shards.
struct Tally: Sendable {
    /// The agency of a transfer, the target of a write-back, empty for a dossier.
    let scope: String
    /// The transfer's or write-back's state, the dossier's outcome.
    let state: String
    /// For write-backs: sent at least once.
    let tried: Bool
    let count: Int
}

extension SQLReadSession {
    /// The non-zero counts of one kind: `transfer`, `writeback` or `dossier`.
    func tallies(_ kind: String) throws(JournalError) -> [Tally] {
        try rows("""
            SELECT scope, state, tried, SUM(n) FROM tallies WHERE kind = ? GROUP BY scope, state, tried HAVING SUM(n) <> 0
            """, [.text(kind)]) { Tally(scope: $0.string(0), state: $0.string(1), tried: $0.int64(2) != 0, count: Int($0.int64(3))) }
    }
}
