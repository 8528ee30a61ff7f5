/// Erasing the personal data of finished dossiers (Decree 13/2023): by the daemon once
/// `retention.completedDays` have passed, or by an administrator with `interlinkctl purge`.
public enum Retention: Sendable {
    /// Erases the personal data of `keys` (the dossier, the agencies' results, reasons and
    /// the write-back body) with one event saying why, in one transaction. States, receipts,
    /// keys and events remain, so the history and the audit chain stay verifiable.
    /// Returns whether no copy of the erased bytes is left (see ``Journal/scrub()``); when
    /// readers kept the WAL busy they leave at its next checkpoint instead.
    /// With `scrub` false the caller scrubs once after several purges (the rewrite costs the
    /// journal's size, not the purge's).
    @discardableResult
    public static func purge(_ keys: [DossierKey], reason: String, journal: any Journal, scrub: Bool = true) async throws(JournalError) -> Bool {
        guard !keys.isEmpty else { return true }
        var batch = JournalBatch()
        batch.purges = keys
        batch.events = [NewEvent(level: .notice, kind: .purge, message: "purged the personal data of \(keys.count) finished dossier version(s): \(reason)",
                                 detail: ["dossiers": .array(keys.prefix(1_000).map { .string("\($0.code):v\($0.version)") })])]
        try await journal.apply(batch)
        return scrub ? await Self.scrub(journal) : true
    }

    /// Leaves no copy of purged bytes in the journal's files; false when readers kept the WAL
    /// busy (the bytes then leave at its next checkpoint).
    static func scrub(_ journal: any Journal) async -> Bool {
        // The erased bytes must leave the file and the WAL too: a purge that "worked" must not be found by grep.
        do {
            try await journal.scrub()
            return true
        } catch {
            return false
        }
    }

    /// Purges every finished dossier whose outcome is older than `days`, in batches of 500,
    /// until none is left or `stopping` says so. Returns how many versions were purged.
    static func purgeExpired(days: Int, journal: any Journal, logger: Logger, stopping: @Sendable () async -> Bool) async -> Int {
        let before = Timestamp.now().adding(milliseconds: -Int64(days) * 86_400_000)
        var total = 0
        while await !stopping(), let keys = try? await journal.purgeCandidates(before: before, limit: 500), !keys.isEmpty {
            do {
                try await purge(keys, reason: "retention.completedDays = \(days)", journal: journal, scrub: false)
                total += keys.count
            } catch {
                logger.error("cannot purge expired personal data", LogContext(extra: ["reason": .string(error.description)]))
                break
            }
        }
        if total > 0, await !scrub(journal) {
            logger.warning("purged, but the journal could not be rewritten or readers kept its WAL busy: the erased bytes leave at the next purge or checkpoint")
        }
        if total > 0 {
            logger.notice("purged the personal data of finished dossiers past their retention",
                          LogContext(extra: ["dossiers": .number(Double(total)), "retentionDays": .number(Double(days))]))
        }
        return total
    }
}
