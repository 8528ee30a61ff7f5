/// The sync: polls the register, routes each dossier, pushes its steps to the agencies in
/// order, follows their decisions, reconciles the results and writes them back.
///
/// An actor holding only in-memory bookkeeping (what is in flight, circuit breakers,
/// counters); every durable fact goes through the ``Journal``. Requests run in their own
/// tasks and report back, so the actor is never held across a network call.
public actor SyncEngine {
    let journal: any Journal
    let http: HTTPClient
    let logger: Logger
    let options: EngineOptions
    var config: InterlinkConfig
    var register: EndpointClient
    var agencies: [String: EndpointClient] = [:]
    var breakers: [String: CircuitBreaker] = [:]

    /// Claimed transfers not yet settled in the journal (their rows may still say `sending`),
    /// by id, with their agency.
    var inFlightTransfers: [Int64: String] = [:]
    /// Those of them whose request is on the wire: each holds one of its agency's concurrency
    /// slots, freed as soon as the agency answers, so journaling the answer never idles an agency.
    var slotHolders: [Int64: String] = [:]
    /// Write-backs whose requests are running now.
    var inFlightWriteBacks: Set<String> = []
    /// Write-backs whose PUT is on the wire: the register's concurrency applies to these.
    var writeBackSlotsInUse = 0
    /// Write-back queries running now, and the write-backs settled meanwhile (which those
    /// queries may still return as pending): never sent twice for that.
    var writeBackLooks = 0
    var settledWhileLooking: Set<String> = []
    var requestTasks: [Int64: Task<Void, Never>] = [:]
    var writeBackTasks: [String: Task<Void, Never>] = [:]
    var reconciling: Set<String> = []
    /// Dossiers being planned: their transfers are neither claimed nor promoted meanwhile, so a
    /// plan never replaces a step that is being sent.
    var planning: Set<String> = []
    var reconcileAgain: Set<String> = []
    var notRoutedLogged: Set<String> = []
    /// The newest version of each dossier stored recently (see `remember`).
    var knownVersions: [String: Int] = [:]

    var stopping = false
    /// The register was read to its end and had nothing new.
    var registerQuiet = false
    let wake = WakeSignal()
    let pollWake = WakeSignal()
    public private(set) var counters = EngineCounters()
    var lastHeartbeat = Timestamp(millisecondsSinceEpoch: 0)
    var lastPurge = Timestamp(millisecondsSinceEpoch: 0)
    /// Set when a write-back is queued or rescheduled; the register's queue is looked at then,
    /// and at least once a second for retries coming due.
    var writeBacksQueued = true
    var lastWriteBackLook = Timestamp(millisecondsSinceEpoch: 0)

    public init(config: InterlinkConfig, journal: any Journal, http: HTTPClient, logger: Logger, options: EngineOptions = EngineOptions()) {
        self.config = config
        self.journal = journal
        self.http = http
        self.logger = logger
        self.options = options
        register = EndpointClient(name: "register", config: config.register.endpoint, http: http)
        for (name, agency) in config.agencies {
            agencies[name] = EndpointClient(name: name, config: agency.endpoint, http: http)
            breakers[name] = CircuitBreaker(config: agency.circuitBreaker)
        }
    }

    /// Runs until ``stop()`` (or, with `untilIdle`, until idle), then drains in-flight requests
    /// within the configured grace period and returns.
    public func run() async {
        logger.notice("sync started", LogContext(extra: ["summary": .string(config.summary)]))
        let poller = Task { await pollLoop() }
        while !stopping {
            await dispatchDue()
            await heartbeatIfDue()
            await purgeIfDue()
            if options.untilIdle, await isIdle() {
                logger.notice("idle: nothing ready, in flight or due soon, and the register has nothing new")
                break
            }
            await wake.wait(timeout: await sleepBudget())
        }
        stopping = true
        pollWake.signal()
        await drain()
        await poller.value
        await heartbeat(running: false)
        logger.notice("sync stopped")
    }

    /// Asks the engine to stop polling and drain. Returns at once; ``run()`` returns when done.
    public func stop() {
        guard !stopping else { return }
        stopping = true
        logger.notice("stopping: no new requests; draining those in flight", LogContext(extra: ["graceSeconds": .number(Double(config.shutdownGraceSeconds))]))
        wake.signal()
        pollWake.signal()
    }

    /// Applies a new configuration to requests not yet started. Circuit state survives for
    /// agencies whose breaker settings did not change.
    public func reload(_ newConfig: InterlinkConfig) {
        config = newConfig
        register = EndpointClient(name: "register", config: newConfig.register.endpoint, http: http)
        var newAgencies: [String: EndpointClient] = [:]
        var newBreakers: [String: CircuitBreaker] = [:]
        for (name, agency) in newConfig.agencies {
            newAgencies[name] = EndpointClient(name: name, config: agency.endpoint, http: http)
            if let breaker = breakers[name], breaker.config == agency.circuitBreaker {
                newBreakers[name] = breaker
            } else {
                newBreakers[name] = CircuitBreaker(config: agency.circuitBreaker)
            }
        }
        agencies = newAgencies
        breakers = newBreakers
        logger.setLevel(newConfig.logLevel)
        logger.notice("configuration reloaded", LogContext(extra: ["summary": .string(newConfig.summary)]))
        wake.signal()
    }

    /// A one-line live summary for systemd's STATUS= and the demo's progress line.
    public func statusLine() async -> String {
        return "seen \(counters.dossiersSeen) dossiers, \(counters.requests) requests (\(slotHolders.count) in flight), "
            + "\(counters.retries) retries, \(counters.writeBacks) write-backs"
    }

    /// How long the loop may sleep: until the next due item, a breaker re-opening, or a heartbeat.
    private func sleepBudget() async -> Duration {
        let now = Timestamp.now()
        // At most a second: changes other processes make (replays, reviews) are seen that fast.
        var wakeAt = now.adding(milliseconds: 1_000)
        // With requests in flight, their completions wake the loop long before anything else is
        // due; only an idle loop needs to look up when to wake.
        if inFlightTransfers.isEmpty, inFlightWriteBacks.isEmpty, let due = try? await journal.nextDueTime(after: now) {
            wakeAt = min(wakeAt, due)
        }
        for breaker in breakers.values {
            if let reopens = breaker.reopensAt { wakeAt = min(wakeAt, reopens) }
        }
        let milliseconds = max(1, wakeAt.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
        return .milliseconds(milliseconds)
    }

    private func isIdle() async -> Bool {
        guard registerQuiet, inFlightTransfers.isEmpty, inFlightWriteBacks.isEmpty, reconciling.isEmpty else { return false }
        let horizon = Timestamp.now().adding(milliseconds: Int64(options.idleHorizonSeconds) * 1_000)
        do {
            let soon = try await journal.transfers(TransferQuery(states: [.ready, .sending, .retrying, .accepted], dueBy: horizon, limit: 1))
            let writeBacks = try await journal.writeBacks(states: [.pending], dueBy: horizon, dossierCode: nil, limit: 1)
            let unsettled = try await journal.dossiersNeedingAttention(after: nil, limit: 1)
            return soon.isEmpty && writeBacks.isEmpty && unsettled.isEmpty
        } catch {
            return false
        }
    }

    /// Waits for running requests up to the grace period, then cancels the rest; a cancelled
    /// request is handed back (`sending` → `ready`) so nothing is left in flight.
    private func drain() async {
        let deadline = ContinuousClock.now + .seconds(config.shutdownGraceSeconds)
        while !(requestTasks.isEmpty && writeBackTasks.isEmpty), ContinuousClock.now < deadline {
            await wake.wait(timeout: .milliseconds(100))
        }
        let leftovers = Array(requestTasks.values) + Array(writeBackTasks.values)
        if !leftovers.isEmpty {
            logger.warning("grace period over: handing back requests still in flight",
                           LogContext(extra: ["requests": .number(Double(leftovers.count))]))
        }
        for task in leftovers { task.cancel() }
        for task in leftovers { await task.value }
    }

    private func heartbeatIfDue() async {
        if Timestamp.now().millisecondsSinceEpoch - lastHeartbeat.millisecondsSinceEpoch >= Int64(options.heartbeatSeconds) * 1_000 {
            await heartbeat()
        }
    }

    /// Records that the daemon is alive (or has stopped), for `interlinkctl status`.
    private func heartbeat(running: Bool = true) async {
        lastHeartbeat = .now()
        var batch = JournalBatch()
        batch.metadata = ["heartbeat": lastHeartbeat.description, "status": await statusLine(), "daemon": running ? "running" : "stopped"]
        for (name, breaker) in breakers { batch.metadata["circuit/\(name)"] = breaker.state.rawValue }
        _ = try? await journal.apply(batch)
    }

    /// Circuit state per agency, for metrics.
    public func circuitStates() -> [String: CircuitBreaker.State] {
        breakers.mapValues(\.state)
    }

    /// Whether the engine is syncing rather than draining, for `/readyz`.
    public var isAcceptingWork: Bool { !stopping }

    func count(_ update: (inout EngineCounters) -> Void) {
        update(&counters)
    }
}
