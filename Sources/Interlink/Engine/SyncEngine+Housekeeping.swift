extension SyncEngine {
    func heartbeatIfDue() async {
        if Timestamp.now().millisecondsSinceEpoch - lastHeartbeat.millisecondsSinceEpoch >= Int64(options.heartbeatSeconds) * 1_000 {
            await heartbeat()
        }
    }

    /// Records that the daemon is alive (or has stopped), for `interlinkctl status`.
    func heartbeat(running: Bool = true) async {
        lastHeartbeat = .now()
        var batch = JournalBatch()
        batch.metadata = ["heartbeat": lastHeartbeat.description, "status": statusLine(), "daemon": running ? "running" : "stopped",
                          "register": await poller.health]
        for (name, state) in scheduler.circuitStates { batch.metadata["circuit/\(name)"] = state.rawValue }
        _ = try? await journal.apply(batch)
    }

    /// Purges personal data past `retention.completedDays`, at most hourly.
    func purgeIfDue() async {
        let now = Timestamp.now()
        guard now.millisecondsSinceEpoch - lastPurge.millisecondsSinceEpoch >= 3_600_000 else { return }
        lastPurge = now
        _ = await Retention.purgeExpired(days: config.retention.completedDays, journal: journal, logger: logger) { [self] in await stopping }
    }
}
