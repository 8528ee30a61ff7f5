extension SyncEngine {
    /// Purges personal data past `retention.completedDays`, at most hourly.
    func purgeIfDue() async {
        let now = Timestamp.now()
        guard now.millisecondsSinceEpoch - lastPurge.millisecondsSinceEpoch >= 3_600_000 else { return }
        lastPurge = now
        let days = config.retention.completedDays
        let before = now.adding(milliseconds: -Int64(days) * 86_400_000)
        var total = 0
        while !stopping, let keys = try? await journal.purgeCandidates(before: before, limit: 500), !keys.isEmpty {
            do {
                try await journal.purge(keys, reason: "retention.completedDays = \(days)")
                total += keys.count
            } catch {
                logger.error("cannot purge expired personal data", LogContext(extra: ["reason": .string(error.description)]))
                return
            }
        }
        if total > 0 {
            logger.notice("purged the personal data of finished dossiers past their retention",
                          LogContext(extra: ["dossiers": .number(Double(total)), "retentionDays": .number(Double(days))]))
        }
    }
}
