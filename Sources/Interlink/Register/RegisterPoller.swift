/// Reads the register's change list from the cursor, less the look-back window, to its end;
/// stores each page with the cursor in one batch, and hands new dossier versions to the
/// intake. Also re-reads single dossiers for the write-back sender (a version conflict),
/// through the same client and store, and resumes what a crash interrupted.
///
/// One node polls at a time: the one holding the `register-poll` lease, taken over only
/// when its holder's heartbeat goes stale. Every page it stores is fenced by the lease's
/// token, so a holder that lost the lease never moves the cursor; a new holder resumes from it.
actor RegisterPoller {
    let journal: any Journal
    let logger: Logger
    let counters: SyncCounters
    var settings: RegisterConfig
    var client: RegisterClient
    /// The newest version of each dossier stored recently (see `remember`).
    var knownVersions: [String: Int] = [:]
    /// Where polling stands.
    enum State: Sendable, Equatable {
        /// Reading, or about to.
        case reading
        /// Read to its end, with nothing new.
        case quiet
        /// Failing since then; retried with backoff.
        case failing(since: Timestamp)
        /// The register refused our credentials: no request until a reload.
        case paused(reason: String)
        /// Another node holds the poll's lease.
        case standby
    }

    /// The lease that makes one node the poller.
    static let leaseName = "register-poll"
    /// The lease's token while this node holds it.
    private var lease: Int64?
    let instance: DaemonInstance

    /// Whether this node polls the register now.
    var holdsLease: Bool { lease != nil }
    private(set) var state = State.reading
    private(set) var stopping = false
    var intake: (any DossierIntake)?
    let wake = WakeSignal()
    /// Wakes the drift sweep's waits (see RegisterPoller+Sweep.swift) at stop.
    let sweepWake = WakeSignal()
    /// Told after every pass when a run waits for the register to go quiet (until-idle).
    private let passed: WakeSignal?

    /// The register's breaker, shared with the write-backs.
    let registerHealth: RegisterHealth

    init(settings: RegisterConfig, http: HTTPClient, journal: any Journal, logger: Logger, counters: SyncCounters, instance: DaemonInstance,
         health: RegisterHealth, passed: WakeSignal?) {
        registerHealth = health
        self.passed = passed
        self.instance = instance
        self.settings = settings
        client = RegisterClient(settings: settings, http: http)
        self.journal = journal
        self.logger = logger
        self.counters = counters
    }

    /// Nothing more will come without a change at the register or a reload.
    var isQuiet: Bool {
        switch state {
        case .quiet, .paused, .standby: true
        case .reading, .failing: false
        }
    }

    /// Where the register stands, for the heartbeat: `ok`, `failing since …` or `paused: …`.
    var health: String {
        switch state {
        case .reading, .quiet: "ok"
        case .failing(let since): "failing since \(since)"
        case .paused(let reason): "paused: \(reason)"
        case .standby: "standby: another node polls the register"
        }
    }

    /// Polls until ``stop()``: a full pass, then a pause; failures back off; a refusal of
    /// our credentials pauses polling until ``reload(_:http:)``.
    func run(intake: any DossierIntake) async {
        self.intake = intake
        var failures = 0
        while !stopping {
            if case .paused = state {
                await wake.wait(timeout: .seconds(3_600))
                continue
            }
            do {
                guard try await holdLease() else {
                    state = .standby
                    passed?.signal()
                    await wake.wait(timeout: .seconds(2))
                    continue
                }
                // While the register is down, a poll goes only as the breaker's probe.
                guard await registerHealth.allowance(1) == 1 else {
                    await registerHealth.waitForTurn(timeout: .seconds(5))
                    continue
                }
                guard let fresh = try await pollOnce() else {
                    await registerHealth.unused()
                    continue
                }
                await registerHealth.succeeded()
                failures = 0
                state = fresh == 0 ? .quiet : .reading
                passed?.signal()
                if fresh > 0 { continue }
                await wake.wait(timeout: .seconds(settings.pollIntervalSeconds))
            } catch {
                counters.add { $0.registerFailures += 1 }
                // Told once per outage by the shared breaker; each failure only at debug level below.
                await registerHealth.record(error)
                if error.code == .unauthorized {
                    await pause(error)
                    continue
                }
                let since = if case .failing(let since) = state { since } else { Timestamp.now() }
                failures += 1
                state = .failing(since: since)
                // The register is retried for ever: its budget only shapes the backoff.
                let delay = RetrySchedule(policy: settings.retry).backoffMs(attempts: min(failures, 30), jitter: Double.random(in: 0.5..<1))
                logger.log(error.code == .unavailable ? .debug : .warning, "register poll failed; retrying",
                           LogContext(attempt: failures, durationMs: Int(delay), extra: [
                               "reason": .string(error.description), "failingSince": .string(since.description)]))
                await wake.wait(timeout: .milliseconds(max(delay, 50)))
            }
        }
        self.intake = nil
        if lease != nil {
            try? await journal.releaseLease(Self.leaseName, holder: instance.id)
            lease = nil
        }
    }

    /// Takes or keeps the poll's lease; `false` while another live node holds it.
    private func holdLease() async throws(RegisterError) -> Bool {
        let token = try await asPollFailure { () async throws(JournalError) in
            try await journal.acquireLease(Self.leaseName, holder: instance.id, liveSince: instance.liveSince)
        }
        if token != nil, token != lease { logger.notice("this node polls the register now", LogContext(extra: ["instance": .string(instance.id)])) }
        lease = token
        return token != nil
    }

    /// Stops polling; ``run(intake:)`` returns once the current page is stored.
    func stop() {
        stopping = true
        wake.signal()
        sweepWake.signal()
    }

    /// Takes new register settings (SIGHUP); a pause for refused credentials ends here.
    func reload(_ settings: RegisterConfig, http: HTTPClient) {
        self.settings = settings
        client = RegisterClient(settings: settings, http: http)
        if case .paused = state {
            state = .reading
            logger.notice("register polling resumes with the reloaded configuration")
        }
        wake.signal()
    }

    /// A 401 or 403 can never succeed as configured: one error and one event, then no more
    /// requests until the configuration is reloaded.
    private func pause(_ error: RegisterError) async {
        state = .paused(reason: error.message)
        passed?.signal()
        logger.error("the register refused our credentials; polling is paused until the configuration is reloaded",
                     LogContext(extra: ["reason": .string(error.description)]))
        var batch = JournalBatch()
        batch.events = [NewEvent(level: .error, kind: .registerPoll, message: "register polling paused: \(error.description)")]
        _ = try? await journal.apply(batch)
    }

    /// Streams the register from the cursor (less the look-back window) to its end, one page
    /// per transaction. Returns how many dossier versions were new, or nil when the lease was
    /// lost meanwhile (another node took over: its pages win).
    func pollOnce() async throws(RegisterError) -> Int? {
        if state == .quiet { state = .reading }
        if let intake { await resumeInterrupted(intake) }
        var cursor = try await asPollFailure { () async throws(JournalError) in try await journal.cursor() }
        var position: RegisterCursor? = cursor.map { current in
            let since = Timestamp(rfc3339: current.updatedSince) ?? .now()
            return RegisterCursor(updatedSince: since.adding(milliseconds: -Int64(settings.lookBackSeconds) * 1_000).description, afterCode: "")
        }
        var fresh = 0
        // Halved while pages come back larger than the register's maxResponseBytes (a run of
        // large dossiers), so one big page never stalls the sync; back to full after a success.
        var limit = settings.pageSize
        while !stopping {
            let bytes: [UInt8]
            do {
                bytes = try await client.page(after: position, limit: limit)
            } catch let error where error.code == .tooLarge && limit > 1 {
                limit = max(1, limit / 2)
                logger.notice("register page too large; asking for smaller pages", LogContext(extra: ["limit": .number(Double(limit))]))
                continue
            }
            limit = settings.pageSize
            let known = knownVersions
            let page = try RegisterPageParser.parsePage(bytes) { code, version in (known[code] ?? 0) >= version }
            cursor = Self.furthest(cursor, page)
            guard let stored = try await store(page, cursor: cursor, lease: lease) else {
                lease = nil
                return nil
            }
            fresh += stored
            guard let next = page.next else { break }
            position = next
        }
        return fresh
    }

    /// Plans and reconciles what a crash interrupted: dossiers stored but not planned, and
    /// transfer changes not yet reconciled into an outcome.
    private func resumeInterrupted(_ intake: any DossierIntake) async {
        var position: DossierKey?
        while !stopping, let records = try? await journal.dossiersNeedingAttention(after: position, limit: 200), !records.isEmpty {
            position = records.last.map { DossierKey(code: $0.snapshot.code, version: $0.snapshot.version) }
            for record in records {
                if record.planned {
                    await intake.reconcile(record.snapshot.code)
                } else {
                    await intake.plan(record.snapshot)
                }
            }
        }
    }

    /// The cursor after a page: the later of the old one and the page's last entry, never backwards.
    static func furthest(_ cursor: RegisterCursor?, _ page: RegisterPage) -> RegisterCursor? {
        func key(_ cursor: RegisterCursor) -> (Int64, String) {
            ((Timestamp(rfc3339: cursor.updatedSince)?.millisecondsSinceEpoch ?? 0), cursor.afterCode)
        }
        guard let candidate = page.lastPosition else { return cursor }
        guard let cursor else { return candidate }
        return key(candidate) > key(cursor) ? candidate : cursor
    }
}
