extension SyncEngine {
    /// Claims what is due, per agency within its concurrency and its circuit, and starts it.
    func dispatchDue() async {
        let now = Timestamp.now()
        let limits = scheduler.dueLimits(now: now)
        guard !limits.isEmpty else { return }
        // Taken before any await: a reload meanwhile must not leave a claimed transfer without a sender.
        let agencies = config.agencies
        let clients = agencyClients
        let claims = await dispatcher.claim(limits: limits, excluding: Set(scheduler.inFlight.keys), planning: Set(scheduler.planning.keys),
                                            agencies: agencies, routes: config.routes, instance: instance, now: now)
        guard !claims.isEmpty else { return }
        let (send, _) = scheduler.start(claims.map(\.transfer))
        let sending = Set(send.map(\.id))
        // The circuit opened while the claim was being committed: send nothing then.
        await dispatcher.handBack(claims.filter { !sending.contains($0.transfer.id) }, now: .now())
        for claim in claims where sending.contains(claim.transfer.id) {
            let id = claim.transfer.id
            guard let agency = agencies[claim.transfer.agency], let client = clients[claim.transfer.agency] else {
                // A reload dropped the agency during the claim: nothing is sent, nothing stays in flight.
                _ = scheduler.finished(id, agency: claim.transfer.agency, health: .neutral, now: .now())
                await dispatcher.handBack([claim], now: .now())
                continue
            }
            let step = config.routes.lazy.flatMap(\.steps).first {
                $0.name == claim.transfer.step && $0.agency == claim.transfer.agency && $0.path.matches(claim.transfer.operation)
            }
            let job = TransferJob(transfer: claim.transfer, agency: agency, client: client, journal: journal, logger: logger, claimLoss: claimLoss,
                                  answered: { [self] in await answered(id) }, work: claim.work, template: step?.payload,
                                  dialect: step?.dialect ?? agency.dialect)
            requestTasks[id] = Task { [self] in
                let report = await job.run()
                await finished(report)
            }
        }
    }

    /// Frees the agency slot a transfer holds (once), and lets the loop fill it.
    private func answered(_ id: Int64) {
        if scheduler.answered(id) { wake.signal() }
    }

    /// Books a finished job: breaker, counters, then reconciles its dossier.
    private func finished(_ report: TransferJob.Report) async {
        let agency = report.transfer.agency
        // Cleared last, so a drain waits for the bookkeeping and reconciliation below too.
        defer { requestTasks[report.transfer.id] = nil }
        let transition = scheduler.finished(report.transfer.id, agency: agency, health: report.health, now: .now())
        await record(transition, agency: agency, error: report.transfer.lastError)
        await noteDeadRun(report)
        totals.add { counters in
            counters.requests += report.requests
            if report.retried {
                counters.retries += 1
                counters.retriesByAgency[agency, default: 0] += 1
            }
            if report.changed, report.transfer.state == .rejected {
                counters.rejections += 1
                counters.rejectionsByAgency[agency, default: 0] += 1
            }
            if report.changed, report.transfer.state == .dead {
                counters.deadTransfers += 1
                counters.deadByAgency[agency, default: 0] += 1
            }
            if let responseClass = report.responseClass, report.requests > 0 {
                counters.responses[agency, default: [:]][responseClass, default: 0] += 1
            }
            if let milliseconds = report.durationMs, report.requests > 0 {
                counters.durations[agency, default: Histogram()].observe(seconds: Double(milliseconds) / 1_000)
            }
        }
        if report.changed { await reconcile(report.transfer.dossierCode) }
        wake.signal()
    }

    /// Logs and journals a circuit's opening and closing, once each.
    private func record(_ transition: CircuitBreaker.Transition?, agency: String, error: String?) async {
        guard let transition else { return }
        let seconds = config.agencies[agency]?.circuitBreaker.openSeconds ?? 0
        var batch = JournalBatch()
        batch.incidents = Self.incident(for: transition, agency: agency, error: error).map { [$0] } ?? []
        switch transition {
        case .closed:
            let message = "circuit closed: the agency answers again"
            logger.notice(message, LogContext(agency: agency))
            batch.events = [NewEvent(level: .warning, kind: .circuit, agency: agency, message: message)]
        case .opened(let failures):
            let message = "circuit opened after \(failures) consecutive technical failures; no requests for \(seconds) s"
            logger.warning(message, LogContext(agency: agency))
            batch.events = [NewEvent(level: .warning, kind: .circuit, agency: agency, message: message)]
        case .reopened:
            // The opening was logged and journaled; during a long outage every failed probe
            // would repeat it every few seconds. The incident counts the probe, no more.
            logger.info("circuit still open: the half-open probe failed; no requests for \(seconds) s", LogContext(agency: agency))
        }
        _ = try? await journal.apply(batch)
    }
}
