extension SyncEngine {
    /// Starts due write-backs, within the register's concurrency.
    func dispatchWriteBacks(now: Timestamp) async {
        let room = config.register.endpoint.maxConcurrent - writeBackSlotsInUse
        guard room > 0, !stopping,
              writeBacksQueued || now.millisecondsSinceEpoch - lastWriteBackLook.millisecondsSinceEpoch >= 1_000 else { return }
        writeBacksQueued = false
        lastWriteBackLook = now
        writeBackLooks += 1
        let found = try? await journal.writeBacks(states: [.pending], dueBy: now, dossierCode: nil, limit: room + inFlightWriteBacks.count)
        writeBackLooks -= 1
        // A write-back settled while the query ran may still read as pending in its answer.
        let settledMeanwhile = settledWhileLooking
        if writeBackLooks == 0 { settledWhileLooking.removeAll(keepingCapacity: true) }
        guard let due = found else { return }
        for record in due where !inFlightWriteBacks.contains(record.dossierCode) && !settledMeanwhile.contains(record.dossierCode) {
            guard writeBackSlotsInUse < config.register.endpoint.maxConcurrent else { break }
            inFlightWriteBacks.insert(record.dossierCode)
            writeBackSlotsInUse += 1
            let client = register
            writeBackTasks[record.dossierCode] = Task { [self] in
                let answer = await client.send("PUT", "/dossiers/\(EndpointClient.percentEncode(record.dossierCode))/interconnection",
                                               body: Array(record.body.utf8), idempotencyKey: record.idempotencyKey)
                await writeBackAnswered()
                await writeBackFinished(record, answer)
            }
        }
    }

    /// The register has answered: its slot is free before the answer is journaled, and is
    /// filled from here rather than by the main loop, which may be busy claiming transfers.
    private func writeBackAnswered() async {
        writeBackSlotsInUse -= 1
        writeBacksQueued = true
        await dispatchWriteBacks(now: .now())
    }

    private func writeBackFinished(_ record: WriteBackRecord, _ answer: Result<HTTPResponse, HTTPClientError>) async {
        await settleWriteBack(record, answer)
        inFlightWriteBacks.remove(record.dossierCode)
        if writeBackLooks > 0 { settledWhileLooking.insert(record.dossierCode) }
        writeBackTasks[record.dossierCode] = nil
        writeBacksQueued = true
        wake.signal()
    }

    private func settleWriteBack(_ record: WriteBackRecord, _ answer: Result<HTTPResponse, HTTPClientError>) async {
        let now = Timestamp.now()
        let attempts = record.attempts + 1
        let first = record.firstAttemptAt ?? now
        var update = WriteBackUpdate(dossierCode: record.dossierCode, sequence: record.sequence, state: .pending, attempts: attempts,
                                     nextAttemptAt: nil, firstAttemptAt: first, lastError: nil)
        var event = NewEvent(kind: .writeBack, dossierCode: record.dossierCode, dossierVersion: record.dossierVersion, message: "")
        var fetchNewVersion = false
        switch answer {
        case .failure(let error) where error.kind == .cancelled:
            return  // shutdown: stays pending, sent again under the same key next time
        case .success(let response) where response.status == 200:
            if Self.verified(response, record) {
                update.state = .sent
                event.message = "write-back \(record.outcome.rawValue) stored by the register and verified"
                count { $0.writeBacks += 1 }
            } else {
                event.level = .warning
                event.message = "the register's stored record does not match what was sent; sending again"
                update = retry(update, reason: "write-back not verified", now: now, first: first)
            }
        case .success(let response) where response.status == 409 && (try? response.json())?["error"]?["code"] == "version-conflict":
            update.state = .superseded
            event.level = .notice
            event.message = "the register holds a newer version of the dossier; reading it and reconciling"
            fetchNewVersion = true
        case .success(let response) where [400, 401, 403, 404, 422].contains(response.status):
            update.state = .dead
            update.lastError = "HTTP \(response.status) from the register"
            event.level = .error
            event.message = "write-back refused by the register with HTTP \(response.status); fix and replay"
        case .success(let response):
            update = retry(update, reason: "HTTP \(response.status)", now: now, first: first,
                           retryAfterMs: response.headers["Retry-After"].flatMap { RetryAfter.milliseconds($0, now: now) })
            event.level = .warning
            event.message = "write-back failed with HTTP \(response.status); \(update.state == .dead ? "gave up" : "retrying")"
        case .failure(let error):
            update = retry(update, reason: error.description, now: now, first: first)
            event.level = .warning
            event.message = "write-back failed (\(error.kind.rawValue)); \(update.state == .dead ? "gave up" : "retrying")"
        }
        var batch = JournalBatch()
        batch.writeBackUpdates = [update]
        batch.events = [event]
        _ = try? await journal.apply(batch)
        if event.level <= .warning {
            logger.log(event.level, event.message, LogContext(dossier: record.dossierCode, attempt: attempts))
        }
        if fetchNewVersion { await refetch(record.dossierCode) }
    }

    private func retry(_ update: WriteBackUpdate, reason: String, now: Timestamp, first: Timestamp, retryAfterMs: Int64? = nil) -> WriteBackUpdate {
        var update = update
        update.lastError = reason
        switch RetrySchedule(policy: config.register.retry).next(attempts: update.attempts, firstAttemptAt: first, now: now, retryAfterMs: retryAfterMs) {
        case .retry(let at):
            update.state = .pending
            update.nextAttemptAt = at
        case .dead(let why):
            update.state = .dead
            update.lastError = "\(reason); \(why)"
        }
        return update
    }

    /// The register answers with the record it stored; it must be ours.
    static func verified(_ response: HTTPResponse, _ record: WriteBackRecord) -> Bool {
        guard let stored = try? response.json() else { return false }
        return stored["dossierVersion"]?.intValue == record.dossierVersion && stored["outcome"]?.stringValue == record.outcome.registerOutcome
    }

    /// Reads a dossier the register says changed, and plans its new version.
    private func refetch(_ code: String) async {
        guard case .success(let response) = await register.send("GET", "/dossiers/\(EndpointClient.percentEncode(code))"),
              response.status == 200 else { return }
        guard case .dossier(let snapshot, _) = RegisterPageParser.item(response.body) else { return }
        var batch = JournalBatch()
        batch.dossiers = [snapshot]
        if let result = try? await journal.apply(batch), result.dossierInserted.first == true {
            count { $0.dossiersSeen += 1 }
            await plan(snapshot)
        }
    }
}
