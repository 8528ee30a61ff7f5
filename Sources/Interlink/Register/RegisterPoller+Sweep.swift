/// The daemon's drift sweep (see ``DriftSweep``): every `register.sweep.intervalSeconds`, one
/// node at a time under the `register-sweep` lease, pages paced by `pageDelayMs` and sent
/// through the register's breaker. Versions it stores are planned at the next poll.
extension RegisterPoller {
    /// The lease that makes one node the sweeper.
    static let sweepLeaseName = "register-sweep"

    /// Sweeps every interval until ``stop()``; the first sweep comes one interval after start,
    /// since the first poll of a journal reads the whole register anyway.
    func sweepForever() async {
        while !stopping {
            let interval = settings.sweep.intervalSeconds
            await sweepWake.wait(timeout: .seconds(interval > 0 ? interval : 60))
            guard !stopping, settings.sweep.intervalSeconds > 0 else { continue }
            guard (try? await journal.acquireLease(Self.sweepLeaseName, holder: instance.id, liveSince: instance.liveSince)) != nil else { continue }
            let sweep = DriftSweep(client: client, journal: journal, pageSize: settings.pageSize, pageDelay: .milliseconds(settings.sweep.pageDelayMs),
                                   health: registerHealth)
            do {
                let report = try await sweep.run(apply: true) { [self] delay in
                    await sweepWake.wait(timeout: delay)
                    return await !stopping
                }
                if !report.late.isEmpty || !report.drifted.isEmpty {
                    logger.notice("the drift sweep found what polling and write-backs had missed", LogContext(extra: [
                        "lateVersions": .number(Double(report.late.count)), "differingRecords": .number(Double(report.drifted.count))]))
                    wake.signal()
                }
            } catch {
                logger.log(error.code == .unavailable ? .debug : .warning, "the drift sweep stopped early; the next one starts over",
                           LogContext(extra: ["reason": .string(error.description)]))
            }
        }
        try? await journal.releaseLease(Self.sweepLeaseName, holder: instance.id)
    }
}
