extension SQLiteJournal {
    /// Finished dossiers whose personal data is due for purging: outcome completed, cancelled
    /// or not-routed before `before`, not purged yet.
    public func purgeCandidates(before: Timestamp, limit: Int) async throws(JournalError) -> [DossierKey] {
        try await read { session throws(SQLiteError) in
            try session.statement("""
                SELECT code, version FROM dossiers
                WHERE purged_at IS NULL AND outcome IN ('completed', 'cancelled', 'not-routed') AND outcome_at < ?
                ORDER BY outcome_at LIMIT \(max(1, limit))
                """).rows([.integer(before.millisecondsSinceEpoch)]) { DossierKey(code: $0.string(0), version: Int($0.int64(1))) }
        }
    }

    /// Removes the personal data of these dossier versions: the dossier, the agencies' results,
    /// discrepancy values and the write-back body. States, receipts, keys and events remain,
    /// so the history and the audit chain stay verifiable.
    public func purge(_ keys: [DossierKey], reason: String) async throws(JournalError) {
        guard !keys.isEmpty else { return }
        try await perform { session throws(SQLiteError) in
            try session.connection.transaction { () throws(SQLiteError) in
                let now = Timestamp.now().millisecondsSinceEpoch
                let dossier = try session.statement("UPDATE dossiers SET payload = NULL, reasons = NULL, purged_at = ? WHERE code = ? AND version = ?")
                let results = try session.statement("UPDATE transfers SET result = NULL WHERE dossier_code = ? AND dossier_version = ?")
                let writeBack = try session.statement("UPDATE writebacks SET body = '{}' WHERE dossier_code = ? AND dossier_version = ?")
                for key in keys {
                    let values: [SQLiteValue] = [.text(key.code), .integer(Int64(key.version))]
                    try dossier.run([.integer(now)] + values)
                    try results.run(values)
                    try writeBack.run(values)
                }
            }
        }
        var batch = JournalBatch()
        batch.events = [NewEvent(level: .notice, kind: .purge, message: "purged the personal data of \(keys.count) finished dossier version(s): \(reason)",
                                 detail: ["dossiers": .array(keys.prefix(1_000).map { .string("\($0.code):v\($0.version)") })])]
        try await apply(batch)
    }
}
