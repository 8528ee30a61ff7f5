/// Sends queued write-backs to the register within its concurrency, verifies what the
/// register stored, retries technical failures, and on a version conflict has the poller
/// re-read the dossier. Runs its own loop, so write-backs never wait for agency dispatch.
actor WriteBackSender {
    let journal: any Journal
    let logger: Logger
    let counters: SyncCounters
    let poller: RegisterPoller
    var client: RegisterClient
    var retry: RetryPolicyConfig
    private var slots: WriteBackSlots
    private var tasks: [String: Task<Void, Never>] = [:]
    private var stopping = false
    private let wake = WakeSignal()
    /// Signalled as each write-back settles, for ``drain(until:)``.
    private let settledSignal = WakeSignal()

    /// Told when the last write-back in flight settles, so a run that waits for idleness
    /// (until-idle) notices at once.
    private let drained: WakeSignal

    init(settings: RegisterConfig, http: HTTPClient, journal: any Journal, logger: Logger, counters: SyncCounters, poller: RegisterPoller,
         drained: WakeSignal) {
        self.drained = drained
        client = RegisterClient(endpoint: EndpointClient(name: "register", config: settings.endpoint, http: http))
        retry = settings.retry
        slots = WriteBackSlots(limit: settings.endpoint.maxConcurrent)
        self.journal = journal
        self.logger = logger
        self.counters = counters
        self.poller = poller
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

    /// Takes new register settings (SIGHUP) for requests not yet started.
    func reload(_ settings: RegisterConfig, http: HTTPClient) {
        client = RegisterClient(endpoint: EndpointClient(name: "register", config: settings.endpoint, http: http))
        retry = settings.retry
        slots.limit = settings.endpoint.maxConcurrent
        wake.signal()
    }

    /// Stops starting write-backs, waits for those running until `deadline`, then cancels
    /// the rest (they stay pending and are sent again under the same key). Returns how many
    /// had to be cancelled.
    func drain(until deadline: ContinuousClock.Instant) async -> Int {
        stopping = true
        wake.signal()
        while !tasks.isEmpty, ContinuousClock.now < deadline {
            await settledSignal.wait(timeout: .milliseconds(100))
        }
        let leftovers = Array(tasks.values)
        for task in leftovers { task.cancel() }
        for task in leftovers { await task.value }
        return leftovers.count
    }

    /// Starts due write-backs within the register's free slots.
    private func dispatch() async {
        guard !stopping, let room = slots.beginLook(now: .now()) else { return }
        let found = try? await journal.writeBacks(states: [.pending], dueBy: .now(), dossierCode: nil, limit: room)
        for record in slots.endLook(found: found) {
            let client = self.client
            tasks[record.dossierCode] = Task {
                let answer = await client.writeBack(record)
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
    /// the register holds a newer version of.
    private func settle(_ record: WriteBackRecord, _ answer: PeerAnswer) async {
        guard let outcome = WriteBackOutcome.after(answer, to: record, retry: retry, now: .now()) else { return }
        var batch = JournalBatch()
        batch.writeBackUpdates = [outcome.update]
        batch.events = [outcome.event]
        _ = try? await journal.apply(batch)
        if outcome.update.state == .sent { counters.add { $0.writeBacks += 1 } }
        if outcome.event.level <= .warning {
            logger.log(outcome.event.level, outcome.event.message, LogContext(dossier: record.dossierCode, attempt: outcome.update.attempts))
        }
        if outcome.reread { await poller.reread(record.dossierCode) }
    }

    private func finished(_ code: String) {
        slots.settled(code)
        tasks[code] = nil
        wake.signal()
        settledSignal.signal()
        if slots.isIdle { drained.signal() }
    }
}
