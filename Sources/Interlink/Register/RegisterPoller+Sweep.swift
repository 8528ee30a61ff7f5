/// The drift sweep: every `register.sweep.intervalSeconds`, a full keyset-paged pass over the
/// register from its beginning, a pause of `pageDelayMs` between pages. Polling reads only a
/// look-back window behind its cursor; a dossier version the register committed later than
/// that is found here, stored and planned like any other, with an event that says so.
///
/// One node sweeps at a time, under the `register-sweep` lease. Pages go through the
/// register's breaker like every request, so an outage pauses the sweep too.
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
            _ = await sweep()
        }
        try? await journal.releaseLease(Self.sweepLeaseName, holder: instance.id)
    }

    /// One full pass; returns the versions it found that the journal lacked, or nil when the
    /// register could not be read to its end (the next sweep tries again).
    func sweep() async -> [DossierSnapshot]? {
        var position: RegisterCursor?
        var found: [DossierSnapshot] = []
        while !stopping {
            do {
                let limit = settings.pageSize
                let client = self.client
                let bytes = try await registerHealth.guarding { () async throws(RegisterError) in try await client.page(after: position, limit: limit) }
                let known = knownVersions
                let page = try RegisterPageParser.parsePage(bytes) { code, version in (known[code] ?? 0) >= version }
                found += try await store(page, cursor: nil, lease: nil) ?? []
                guard let next = page.next else { break }
                position = next
                await sweepWake.wait(timeout: .milliseconds(settings.sweep.pageDelayMs))
            } catch {
                logger.log(error.code == .unavailable ? .debug : .warning, "the drift sweep stopped early; the next one starts over",
                           LogContext(extra: ["reason": .string(error.description)]))
                await record(found)
                return nil
            }
        }
        await record(found)
        return found
    }

    /// One event per version found, and one notice for the pass when it found any.
    private func record(_ found: [DossierSnapshot]) async {
        guard !found.isEmpty else { return }
        var batch = JournalBatch()
        batch.events = found.map { snapshot in
            NewEvent(level: .notice, kind: .registerPoll, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                     message: "found by the drift sweep: committed by the register after polling had passed it (updated \(snapshot.updatedAt))")
        }
        _ = try? await journal.apply(batch)
        logger.notice("the drift sweep found dossier versions that polling had missed", LogContext(extra: ["versions": .number(Double(found.count))]))
    }
}
