/// Sends queued write-backs to one channel (the register, or the portal's progress service)
/// within its concurrency, verifies what it acknowledged, retries technical failures, and on
/// a version conflict has the poller re-read the dossier. Runs its own loop, so write-backs
/// never wait for agency dispatch.
actor WriteBackSender {
    let journal: any Journal
    let logger: Logger
    let counters: SyncCounters
    let poller: RegisterPoller
    var client: any WriteBackChannel
    var retry: RetryPolicyConfig
    /// `register` or `portal`, for log lines.
    let peer: String
    private var slots: WriteBackSlots
    private var tasks: [String: Task<Void, Never>] = [:]
    private var stopping = false
    /// Set by a 401 or 403: nothing is sent until a reload brings new credentials.
    private var paused: String?
    private let wake = WakeSignal()
    /// Signalled as each write-back settles, for ``drain(until:)``.
    private let settledSignal = WakeSignal()
    /// Told when the last write-back in flight settles, when a run waits for idleness (until-idle).
    private let drained: WakeSignal?

    let instance: DaemonInstance
    let claimLoss: ClaimLoss
    /// The register's breaker, shared with the poller: while the register is down, one
    /// write-back at a time goes as a probe.
    let registerHealth: RegisterHealth

    init(channel: any WriteBackChannel, retry: RetryPolicyConfig, peer: String = "register", journal: any Journal, logger: Logger,
         counters: SyncCounters, poller: RegisterPoller, instance: DaemonInstance, claimLoss: ClaimLoss, health: RegisterHealth, drained: WakeSignal?) {
        registerHealth = health
        self.instance = instance
        self.claimLoss = claimLoss
        client = channel
        self.retry = retry
        self.peer = peer
        slots = WriteBackSlots(limit: channel.maxConcurrent)
        self.journal = journal
        self.logger = logger
        self.counters = counters
        self.poller = poller
        self.drained = drained
    }

    /// Looks for due write-backs when one is queued, a slot frees, or at least once a second.
    func run() async {
        while !stopping {
            await dispatch()
            await wake.wait(timeout: .seconds(1))
        }
    }

    /// A write-back was queued: look for it now.
    func queued() {
        slots.markQueued()
        wake.signal()
    }

    /// Nothing in flight.
    var isIdle: Bool { slots.isIdle }

    /// Refused credentials: nothing is sent until a reload.
    var isPaused: Bool { paused != nil }

    /// Takes new settings (SIGHUP) for requests not yet started; a pause for refused
    /// credentials ends here.
    func reload(_ channel: any WriteBackChannel, retry: RetryPolicyConfig) {
        client = channel
        self.retry = retry
        slots.limit = channel.maxConcurrent
        if paused != nil {
            paused = nil
            logger.notice("write-backs resume with the reloaded configuration")
        }
        slots.markQueued()
        wake.signal()
    }

    /// Stops starting write-backs, waits for those running until `deadline`, then cancels
    /// the rest. Returns how many had to be cancelled.
    func drain(until deadline: ContinuousClock.Instant) async -> Int {
        stopping = true
        wake.signal()
        return await Drain.tasks(until: deadline, waking: settledSignal) { Array(tasks.values) }
    }

    /// Starts due write-backs within the register's free slots.
    private func dispatch() async {
        guard !stopping, paused == nil, let room = slots.beginLook(now: .now()) else { return }
        let allowed = await registerHealth.allowance(room)
        guard allowed > 0 else {
            // The register is down and no probe is due: look again when the loop next wakes.
            _ = slots.endLook(found: [])
            slots.markQueued()
            return
        }
        // Claimed, so no other node sends them meanwhile; those in flight here are left out.
        let found = try? await journal.claimWriteBacks(WriteBackClaimRequest(owner: instance.id, dueBy: .now(), limit: allowed,
                                                                             excludingDossiers: slots.inFlight, liveSince: instance.liveSince,
                                                                             targets: client.targets))
        if allowed < room, found?.isEmpty ?? true { await registerHealth.unused() }
        for record in slots.endLook(found: found) {
            let client = self.client
            tasks[record.dossierCode] = Task {
                let answer = await client.send(record)
                await self.answered()
                await self.settle(record, answer)
                self.finished(record.dossierCode)
            }
        }
    }

    /// The register has answered: its slot is free before the answer is journaled, and is
    /// filled from here rather than waiting for the loop.
    private func answered() async {
        slots.answered()
        await dispatch()
    }

    /// Journals what the register said, logs what an operator needs, and re-reads a dossier
    /// the register holds a newer version of. Refused credentials pause the sender instead.
    private func settle(_ record: WriteBackRecord, _ answer: PeerAnswer) async {
        await registerHealth.record(answer)
        if case .unauthorized(let reason) = answer { return await pause(reason) }
        let channel = client
        guard let outcome = WriteBackOutcome.after(answer, to: record, retry: retry, now: .now(), verified: channel.verified) else { return }
        var update = outcome.update
        update.fence = record.claimToken
        var batch = JournalBatch()
        batch.writeBackUpdates = [update]
        batch.events = outcome.event.map { [$0] } ?? []
        if (try? await journal.apply(batch))?.staleWriteBackUpdates.isEmpty == false,
           let now = try? await journal.writeBacks(states: [], dueBy: nil, dossierCode: record.dossierCode, target: record.target, limit: 1).first,
           now.sequence == record.sequence, now.claimToken != record.claimToken {
            claimLoss.noticed("the write-back of \(record.dossierCode)")
            return
        }
        if outcome.update.state == .sent, record.target == .register { counters.add { $0.writeBacks += 1 } }
        if let event = outcome.event, event.level <= .warning {
            logger.log(event.level, event.message, LogContext(dossier: record.dossierCode, attempt: outcome.update.attempts))
        } else if outcome.technical {
            logger.debug("write-back failed; retrying", LogContext(dossier: record.dossierCode, attempt: outcome.update.attempts,
                                                                   extra: ["reason": .string(outcome.update.lastError ?? "")]))
        }
        if outcome.reread { await poller.reread(record.dossierCode) }
    }

    /// A 401 or 403 can never succeed as configured: one error and one event, and the
    /// write-backs wait, unchanged, for a reload.
    private func pause(_ reason: String) async {
        guard paused == nil else { return }
        paused = reason
        logger.error("the \(peer) refused our credentials; its write-backs are paused until the configuration is reloaded",
                     LogContext(extra: ["reason": .string(reason)]))
        var batch = JournalBatch()
        batch.events = [NewEvent(level: .error, kind: .writeBack, message: "\(peer == "register" ? "write-backs" : "portal reports") paused: \(reason)")]
        _ = try? await journal.apply(batch)
    }

    private func finished(_ code: String) {
        slots.settled(code)
        tasks[code] = nil
        wake.signal()
        settledSignal.signal()
        if slots.isIdle { drained?.signal() }
    }
}
