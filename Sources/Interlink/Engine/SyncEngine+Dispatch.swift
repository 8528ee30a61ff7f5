extension SyncEngine {
    /// Claims what is due, per agency within its concurrency and its circuit, and starts it.
    /// A claim is committed (`sending`, attempt counted) before the request leaves, so after
    /// a crash the transfer is re-sent under the same key rather than forgotten. Write-backs
    /// are started alongside, so neither waits for the other's journal round trips.
    func dispatchDue() async {
        let now = Timestamp.now()
        async let writeBacks: Void = dispatchWriteBacks(now: now)
        await dispatchTransfers(now: now)
        await writeBacks
    }

    private func dispatchTransfers(now: Timestamp) async {
        var limits: [String: Int] = [:]
        for (name, agency) in config.agencies {
            guard var breaker = breakers[name] else { continue }
            let allowance = breaker.allowance(now: now, limit: agency.endpoint.maxConcurrent - requestsOnTheWire(to: name))
            breakers[name] = breaker
            guard allowance > 0 else { continue }
            // Rows in flight are still `sending`; ask for enough to see past them.
            limits[name] = allowance + inFlightTransfers.values.count { $0 == name }
        }
        guard !limits.isEmpty else { return }
        let due: [TransferRecord]
        do {
            due = try await journal.dueTransfers(dueBy: now, limits: limits)
        } catch {
            logger.error("cannot read due transfers", LogContext(extra: ["reason": .string(error.description)]))
            return
        }
        var claims: [String: [TransferRecord]] = [:]
        for name in limits.keys.sorted() {
            // Asked again after the query: a circuit may have opened, or slots filled, meanwhile.
            guard let agency = config.agencies[name], var breaker = breakers[name] else { continue }
            let allowance = breaker.allowance(now: .now(), limit: agency.endpoint.maxConcurrent - requestsOnTheWire(to: name))
            breakers[name] = breaker
            guard allowance > 0 else { continue }
            let claimable = due.filter { $0.agency == name && inFlightTransfers[$0.id] == nil && !planning.contains($0.dossierCode) }
            if !claimable.isEmpty { claims[name] = Array(claimable.prefix(allowance)) }
        }
        await claim(claims, now: now)
    }

    /// Commits the claims of every agency in one transaction, then starts their requests.
    private func claim(_ claims: [String: [TransferRecord]], now: Timestamp) async {
        // Taken before any await: a reload meanwhile must not leave a claimed transfer without a sender.
        let routes = config.routes
        let agencyConfigs = config.agencies
        let clients = agencies
        var batch = JournalBatch()
        for (name, transfers) in claims {
            guard let agency = agencyConfigs[name] else { continue }
            for transfer in transfers {
                if transfer.state == .accepted {
                    // A receipt follow-up: push the next look out first, so a crash only delays it.
                    var update = TransferUpdate(id: transfer.id, state: .accepted, expectedState: .accepted)
                    update.nextAttemptAt = .some(Self.nextReceiptPoll(transfer, polling: agency.receipts, now: now))
                    batch.transferUpdates.append(update)
                } else {
                    var update = TransferUpdate(id: transfer.id, state: .sending, expectedState: transfer.state)
                    update.attempts = transfer.attempts + 1
                    update.firstAttemptAt = .some(transfer.firstAttemptAt ?? now)
                    update.nextAttemptAt = .some(nil)
                    batch.transferUpdates.append(update)
                }
            }
        }
        guard !batch.transferUpdates.isEmpty else { return }
        // Each push's body is read (on the journal's reader) while the claim commits, so the
        // request can leave as soon as the claim is durable.
        let journal = self.journal
        var bodies: [Int64: Task<[UInt8], any Error>] = [:]
        for transfer in claims.values.joined() where transfer.state != .accepted {
            bodies[transfer.id] = Task { try await TransferJob.requestBody(for: transfer, routes: routes, journal: journal) }
        }
        let stale: Set<Int64>
        do {
            stale = Set(try await journal.apply(batch).staleUpdates)
        } catch {
            logger.error("cannot claim transfers", LogContext(extra: ["reason": .string(error.description)]))
            return
        }
        for (name, transfers) in claims.sorted(by: { $0.key < $1.key }) {
            guard let agency = agencyConfigs[name], let client = clients[name] else { continue }
            let claimed = transfers.filter { !stale.contains($0.id) }
            // The circuit may have opened while the claim was being committed: send nothing then.
            if breakers[name]?.state == .open {
                await handBack(claimed.filter { $0.state != .accepted })
                continue
            }
            for transfer in claimed {
                start(transfer, agency: agency, client: client, routes: routes, body: bodies[transfer.id], now: now)
            }
        }
    }

    private func start(_ transfer: TransferRecord, agency: AgencyConfig, client: EndpointClient, routes: [RouteConfig],
                       body: Task<[UInt8], any Error>?, now: Timestamp) {
        inFlightTransfers[transfer.id] = agency.name
        slotHolders[transfer.id] = agency.name
        breakers[agency.name]?.started()
        var claimed = transfer
        if transfer.state != .accepted {
            claimed.state = .sending
            claimed.attempts += 1
            claimed.firstAttemptAt = transfer.firstAttemptAt ?? now
        }
        let id = transfer.id
        let job = TransferJob(transfer: claimed, routes: routes, agency: agency, client: client, journal: journal, logger: logger,
                              answered: { [self] in await releaseSlot(id) }, preparedBody: body)
        requestTasks[transfer.id] = Task { [self] in
            let report = await job.run()
            await finished(report)
        }
    }

    /// Returns claimed transfers to `ready` without an attempt being made.
    private func handBack(_ transfers: [TransferRecord]) async {
        guard !transfers.isEmpty else { return }
        var batch = JournalBatch()
        for transfer in transfers {
            var update = TransferUpdate(id: transfer.id, state: .ready, expectedState: .sending)
            update.attempts = transfer.attempts
            batch.transferUpdates.append(update)
        }
        _ = try? await journal.apply(batch)
    }

    /// Receipts are asked about often at first and rarely later: a tenth of their age,
    /// between the configured interval and maximum (land decisions take weeks).
    static func nextReceiptPoll(_ transfer: TransferRecord, polling: ReceiptPollingConfig, now: Timestamp) -> Timestamp {
        let age = now.millisecondsSinceEpoch - (transfer.firstAttemptAt ?? transfer.createdAt).millisecondsSinceEpoch
        let delay = min(max(age / 10, Int64(polling.intervalSeconds) * 1_000), Int64(polling.maxIntervalSeconds) * 1_000)
        return now.adding(milliseconds: delay)
    }

    private func requestsOnTheWire(to agency: String) -> Int {
        slotHolders.values.count { $0 == agency }
    }

    /// Frees the agency slot a claimed transfer holds (once), and lets the loop fill it.
    private func releaseSlot(_ id: Int64) {
        guard slotHolders.removeValue(forKey: id) != nil else { return }
        wake.signal()
    }

    /// Books a finished request: breaker, counters, then reconciles its dossier.
    private func finished(_ report: TransferJob.Report) async {
        let agency = report.transfer.agency
        releaseSlot(report.transfer.id)
        inFlightTransfers[report.transfer.id] = nil
        requestTasks[report.transfer.id] = nil
        let now = Timestamp.now()
        switch report.health {
        case .healthy:
            if breakers[agency]?.recordSuccess() == .closed {
                logger.notice("circuit closed: the agency answers again", LogContext(agency: agency))
                _ = try? await journal.apply(circuitEvent(agency, "circuit closed: the agency answers again"))
            }
        case .failing:
            let seconds = config.agencies[agency]?.circuitBreaker.openSeconds ?? 0
            switch breakers[agency]?.recordFailure(now: now) {
            case .opened(let failures):
                let message = "circuit opened after \(failures) consecutive technical failures; no requests for \(seconds) s"
                logger.warning(message, LogContext(agency: agency))
                _ = try? await journal.apply(circuitEvent(agency, message))
            case .reopened:
                // The opening was logged and journaled; during a long outage every failed probe
                // would repeat it every few seconds.
                logger.info("circuit still open: the half-open probe failed; no requests for \(seconds) s", LogContext(agency: agency))
            default:
                break
            }
        case .neutral:
            breakers[agency]?.recordNeutral()
        }
        count { counters in
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

    private func circuitEvent(_ agency: String, _ message: String) -> JournalBatch {
        var batch = JournalBatch()
        batch.events = [NewEvent(level: .warning, kind: .circuit, agency: agency, message: message)]
        return batch
    }
}
