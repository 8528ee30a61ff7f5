/// The sync's coordinator: starts the stages, runs the dispatch loop over the
/// ``Scheduler``'s decisions, and drains on stop.
///
/// The stages own their work: the ``RegisterPoller`` reads the register and hands new
/// versions here to plan; the ``Planner`` journals plans; the ``Dispatcher`` claims due
/// transfers and ``TransferJob``s send them; the ``ReconcileStep`` settles outcomes; the
/// ``WriteBackSender`` writes them back. Every durable fact goes through the ``Journal``;
/// requests run in their own tasks, so this actor is never held across a network call.
public actor SyncEngine: DossierIntake {
    let journal: any Journal
    let http: HTTPClient
    let logger: Logger
    let options: EngineOptions
    let totals = SyncCounters()
    var config: InterlinkConfig
    var scheduler: Scheduler
    var agencyClients: [String: any AgencyClient]
    let poller: RegisterPoller
    let writeBacks: WriteBackSender
    /// The national portal's dossier syncs and progress reports, when `progressReports` is configured.
    let reports: WriteBackSender?
    /// The register's one breaker, shared by the poller and the write-backs.
    let registerHealth: RegisterHealth
    let planner: Planner
    let reconciler: ReconcileStep
    let dispatcher: Dispatcher
    /// Settles, marks and counts deadlines on its own loop.
    let deadlineWatch: DeadlineWatch
    /// Who this daemon is among the nodes sharing the journal.
    public let instance: DaemonInstance
    let claimLoss: ClaimLoss
    var requestTasks: [Int64: Task<Void, Never>] = [:]
    var stopping = false
    let wake = WakeSignal()
    var lastHeartbeat = Timestamp(millisecondsSinceEpoch: 0)
    var lastPurge = Timestamp(millisecondsSinceEpoch: 0)
    var lastChainTip = Timestamp(millisecondsSinceEpoch: 0)
    var lastStallCheck = Timestamp(millisecondsSinceEpoch: 0)
    /// Transfers that went dead in a row, per agency, since one the agency took.
    var deadRuns: [String: Int] = [:]

    /// An engine over `journal`, sending with `http`, configured by `config`.
    public init(config: InterlinkConfig, journal: any Journal, http: HTTPClient, logger: Logger, options: EngineOptions = EngineOptions()) {
        let instance = DaemonInstance.current(timeoutSeconds: config.journal.instanceTimeoutSeconds)
        self.instance = instance
        claimLoss = ClaimLoss(logger: logger)
        self.config = config
        self.journal = journal
        self.http = http
        self.logger = logger
        self.options = options
        scheduler = Scheduler(agencies: config.agencies)
        agencyClients = Self.clients(for: config, http: http)
        // Only a run that ends when idle needs to hear when the register or write-backs go quiet.
        let idleWatch = options.untilIdle ? wake : nil
        registerHealth = RegisterHealth(retry: config.register.retry, journal: journal, logger: logger)
        poller = RegisterPoller(settings: config.register, http: http, journal: journal, logger: logger, counters: totals, instance: instance,
                                health: registerHealth, passed: idleWatch)
        writeBacks = WriteBackSender(channel: RegisterClient(settings: config.register, http: http), retry: config.register.retry, journal: journal,
                                     logger: logger, counters: totals, poller: poller, instance: instance, claimLoss: claimLoss,
                                     health: registerHealth, drained: idleWatch)
        // The portal has its own breaker and slots: its outage never holds up the register's write-backs.
        if let settings = config.progressReports {
            reports = WriteBackSender(channel: PortalChannel(settings: settings, http: http), retry: settings.retry, peer: "portal", journal: journal,
                                      logger: logger, counters: totals, poller: poller, instance: instance, claimLoss: claimLoss,
                                      health: RegisterHealth(retry: settings.retry, journal: journal, logger: logger, peer: "portal"), drained: idleWatch)
        } else {
            reports = nil
        }
        planner = Planner(journal: journal, logger: logger, counters: totals,
                          recovery: RegisterRecovery { [poller, registerHealth] code throws(RegisterError) in
                              try await registerHealth.guarding { () async throws(RegisterError) in try await poller.interconnection(code) }
                          })
        reconciler = ReconcileStep(journal: journal, logger: logger, counters: totals)
        dispatcher = Dispatcher(journal: journal, logger: logger)
        deadlineWatch = DeadlineWatch(journal: journal, logger: logger, config: config)
    }

    /// One client per agency; each request speaks its step's dialect.
    static func clients(for config: InterlinkConfig, http: HTTPClient) -> [String: any AgencyClient] {
        config.agencies.mapValues { DialectAgencyClient(endpoint: EndpointClient(name: $0.name, config: $0.endpoint, http: http)) }
    }

    /// Runs until ``stop()`` (or, with `untilIdle`, until idle), then drains in-flight requests
    /// within the configured grace period and returns.
    public func run() async {
        logger.notice("sync started", LogContext(extra: ["summary": .string(config.summary), "instance": .string(instance.id)]))
        do {
            try await instance.register(in: journal, exclusive: config.journal.servesOneDaemon)
        } catch {
            logger.error("cannot register this daemon's instance; its heartbeat will retry", LogContext(extra: ["reason": .string(error.description)]))
        }
        // Other nodes' new work and replays, as hints: the loop looks at least once a second anyway.
        let hints = journal.notifications([.work]).map { stream in
            Task { [wake, writeBacks, reports] in
                for await _ in stream {
                    wake.signal()
                    await writeBacks.queued()
                    await reports?.queued()
                }
            }
        }
        async let polling: Void = poller.run(intake: self)
        async let sweeping: Void = poller.sweepForever()
        async let writingBack: Void = writeBacks.run()
        async let reporting: Void = reports?.run() ?? ()
        async let watching: Void = deadlineWatch.run()
        while !stopping {
            await dispatchDue()
            await heartbeatIfDue()
            await housekeepIfDue()
            await checkStalledQueuesIfDue()
            if options.untilIdle, await isIdle() {
                logger.notice("idle: nothing ready, in flight or due soon, and the register has nothing new")
                break
            }
            let now = Timestamp.now()
            // With requests in flight, their completions wake the loop long before anything else
            // is due; only an idle loop needs to look up when to wake.
            let nextDue = scheduler.inFlight.isEmpty ? try? await journal.nextDueTime(after: now) : nil
            await wake.wait(timeout: .milliseconds(max(1, scheduler.wakeTime(now: now, nextDue: nextDue).millisecondsSinceEpoch - now.millisecondsSinceEpoch)))
        }
        stopping = true
        await poller.stop()
        await deadlineWatch.stop()
        await drain()
        // Once more after the drain: what finished is settled, so `status` and `overdue` read true.
        await deadlineWatch.check(now: .now())
        await polling
        await sweeping
        await writingBack
        await reporting
        await watching
        hints?.cancel()
        await heartbeat(running: false)
        logger.notice("sync stopped")
    }

    /// Asks the engine to stop polling and drain. Returns at once; ``run()`` returns when done.
    public func stop() {
        guard !stopping else { return }
        stopping = true
        logger.notice("stopping: no new requests; draining those in flight", LogContext(extra: ["graceSeconds": .number(Double(config.shutdownGraceSeconds))]))
        wake.signal()
    }

    /// Applies a new configuration to requests not yet started. Circuit state survives for
    /// agencies whose breaker settings did not change.
    public func reload(_ newConfig: InterlinkConfig) async {
        // What only a restart can change is kept as it runs, and said so, rather than claimed as applied.
        var applied = newConfig
        var atNextStart: [String] = []
        if newConfig.journal != config.journal {
            applied.journal = config.journal
            atNextStart.append("journal")
        }
        if newConfig.metrics != config.metrics {
            applied.metrics = config.metrics
            atNextStart.append("metrics.listen")
        }
        if (reports == nil) != (newConfig.progressReports == nil) {
            applied.progressReports = config.progressReports
            atNextStart.append("progressReports (on or off)")
        }
        config = applied
        scheduler.reconfigure(applied.agencies)
        agencyClients = Self.clients(for: applied, http: http)
        await registerHealth.reload(retry: applied.register.retry)
        await poller.reload(applied.register, http: http)
        await writeBacks.reload(RegisterClient(settings: applied.register, http: http), retry: applied.register.retry)
        if let reports, let settings = applied.progressReports {
            await reports.reload(PortalChannel(settings: settings, http: http), retry: settings.retry)
        }
        await deadlineWatch.reload(applied)
        logger.setLevel(applied.logLevel)
        var context = LogContext(extra: ["summary": .string(applied.summary)])
        if !atNextStart.isEmpty {
            context.extra["atNextStart"] = .array(atNextStart.map(JSONValue.string))
            logger.warning("configuration reloaded, except what only a restart changes: \(atNextStart.joined(separator: ", ")); "
                           + "run `systemctl restart interlinkd` to apply them", context)
        } else {
            logger.notice("configuration reloaded", context)
        }
        wake.signal()
    }

    /// Running totals since the engine started.
    public var counters: EngineCounters { totals.snapshot }

    /// A one-line live summary for systemd's STATUS= and the demo's progress line.
    public func statusLine() -> String {
        let counters = totals.snapshot
        return "seen \(counters.dossiersSeen) dossiers, \(counters.requests) requests (\(scheduler.onTheWire.count) in flight), "
            + "\(counters.retries) retries, \(counters.writeBacks) write-backs"
    }

    /// Dossiers overdue and nearly due at the last deadline check, for metrics.
    public func deadlineGauges() async -> DeadlineGauges {
        await deadlineWatch.gauges
    }

    /// Circuit state per agency, for metrics.
    public func circuitStates() -> [String: CircuitBreaker.State] {
        scheduler.circuitStates
    }

    /// Whether the engine is syncing rather than draining, for `/readyz`.
    public var isAcceptingWork: Bool { !stopping }

    /// Plans a dossier version the poller saw for the first time, then reconciles it. Its
    /// transfers are not claimed while the plan is made.
    func plan(_ snapshot: DossierSnapshot) async {
        scheduler.beginPlanning(snapshot.code)
        await planner.plan(snapshot, route: config.route(forProcedure: snapshot.procedureCode), calendar: config.calendar.calendar)
        scheduler.endPlanning(snapshot.code)
        await reconcile(snapshot.code)
        wake.signal()
    }

    /// Reconciles a dossier; calls for one dossier are serialised and coalesced.
    func reconcile(_ code: String) async {
        guard scheduler.beginReconcile(code) else { return }
        repeat {
            let result = await reconciler.run(code, config: config)
            if result.writeBackQueued {
                await writeBacks.queued()
                await reports?.queued()
            }
            if result.transfersChanged { wake.signal() }
        } while scheduler.endReconcile(code)
    }

    private func isIdle() async -> Bool {
        guard scheduler.isQuiet, await poller.isQuiet, await writeBacks.isIdle, await reports?.isIdle ?? true else { return false }
        let horizon = Timestamp.now().adding(milliseconds: Int64(options.idleHorizonSeconds) * 1_000)
        do {
            let soon = try await journal.transfers(TransferQuery(states: [.ready, .sending, .retrying, .accepted, .cancelling], dueBy: horizon, limit: 1))
            // Write-backs paused for refused credentials wait for a reload, as the register does.
            let reportsPaused = await reports?.isPaused ?? false
            let writeBacks = await self.writeBacks.isPaused || reportsPaused ? []
                : try await journal.writeBacks(states: [.pending], dueBy: horizon, dossierCode: nil, target: nil, limit: 1)
            let unsettled = try await journal.dossiersNeedingAttention(after: nil, limit: 1)
            return soon.isEmpty && writeBacks.isEmpty && unsettled.isEmpty
        } catch {
            return false
        }
    }

    /// Waits for running requests up to the grace period, then cancels the rest; a cancelled
    /// push is handed back (`sending` → `ready`) and a write-back stays pending.
    private func drain() async {
        let deadline = ContinuousClock.now + .seconds(config.shutdownGraceSeconds)
        async let writeBacksLeft = writeBacks.drain(until: deadline)
        async let reportsLeft = reports?.drain(until: deadline) ?? 0
        let requestsLeft = await Drain.tasks(until: deadline, waking: wake) { Array(requestTasks.values) }
        let total = requestsLeft + (await writeBacksLeft) + (await reportsLeft)
        if total > 0 {
            logger.warning("grace period over: handing back requests still in flight", LogContext(extra: ["requests": .number(Double(total))]))
        }
    }
}
