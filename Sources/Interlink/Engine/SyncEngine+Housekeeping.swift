extension SyncEngine {
    func heartbeatIfDue() async {
        if Timestamp.now().millisecondsSinceEpoch - lastHeartbeat.millisecondsSinceEpoch >= Int64(options.heartbeatSeconds) * 1_000 {
            await heartbeat()
            // Freed memory goes back to the system with each beat. Without it the allocator
            // keeps the holes that journal pages and requests leave, and RSS climbs with the
            // dossiers synced (one trim gave back 12 MB of 37 in a 12,000-dossier sync).
            MemoryTuning.returnFreedMemory()
        }
    }

    /// Beats this instance's row (or marks it stopped): the other nodes see it alive, and
    /// `interlinkctl status` shows its summary, circuits, the register's health and its leases.
    func heartbeat(running: Bool = true) async {
        let now = Timestamp.now()
        if running, lastHeartbeat.millisecondsSinceEpoch > 0, !config.journal.servesOneDaemon {
            claimLoss.paused(forMs: now.millisecondsSinceEpoch - lastHeartbeat.millisecondsSinceEpoch, timeoutMs: instance.timeoutMs)
        }
        lastHeartbeat = now
        // The breaker speaks for polls and write-backs alike; a paused poll (refused credentials) otherwise.
        let breaker = await registerHealth.summary
        var detail: [String: JSONValue] = ["register": .string(breaker == "ok" ? await poller.health : breaker), "timeoutSeconds": .number(Double(instance.timeoutMs / 1_000)),
                                           "circuits": .object(scheduler.circuitStates.mapValues { .string($0.rawValue) })]
        if await poller.holdsLease { detail["holds"] = [.string(RegisterPoller.leaseName)] }
        var batch = JournalBatch()
        batch.instances = [instance.beat(status: statusLine(), detail: .object(detail), stopped: !running)]
        _ = try? await journal.apply(batch)
    }

    /// Hourly, the audit chain's tip goes to the log too: journald keeps it outside the
    /// journal, so a cut tail shows. Then the retention purge, when it is due.
    func housekeepIfDue() async {
        let now = Timestamp.now()
        guard now.millisecondsSinceEpoch - lastChainTip.millisecondsSinceEpoch >= 3_600_000 else { return }
        lastChainTip = now
        if let tip = try? await journal.chainTip() {
            logger.notice("audit chain tip", LogContext(extra: ["sequence": .number(Double(tip.sequence)), "tip": .string(SHA256.hex(tip.hash))]))
        }
        guard now.millisecondsSinceEpoch - lastPurge.millisecondsSinceEpoch >= 86_400_000 else { return }
        lastPurge = now
        await purgeExpired()
    }

    /// Purges personal data past `retention.completedDays` under the `retention` lease: one
    /// node purges at a time, so no purge is journaled twice. Daily, since the purge ends by
    /// rewriting a SQLite journal (see ``Journal/scrub()``); retention is counted in days anyway.
    func purgeExpired() async {
        guard (try? await journal.acquireLease(Self.retentionLease, holder: instance.id, liveSince: instance.liveSince)) != nil else { return }
        _ = await Retention.purgeExpired(days: config.retention.completedDays, journal: journal, logger: logger) { [self] in await stopping }
        try? await journal.releaseLease(Self.retentionLease, holder: instance.id)
    }

    /// The lease the retention purge runs under.
    static let retentionLease = "retention"
}
