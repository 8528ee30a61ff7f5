/// The register's health as polls and write-backs find it (see ``RegisterBreaker``), and
/// what an operator hears about it: one warning and one journal event when it goes down, one
/// of each when it comes back with the count of failed attempts in between. Each failure
/// itself is logged at debug level by the caller.
actor RegisterHealth {
    private var breaker: RegisterBreaker
    private let journal: any Journal
    private let logger: Logger
    private let wake = WakeSignal()
    /// `register`, or `portal` for the progress service's own breaker.
    private let peer: String

    init(retry: RetryPolicyConfig, journal: any Journal, logger: Logger, peer: String = "register") {
        breaker = RegisterBreaker(retry: retry)
        self.peer = peer
        self.journal = journal
        self.logger = logger
    }

    /// Takes the register's new retry policy (a reload).
    func reload(retry: RetryPolicyConfig) {
        breaker.retry = retry
    }

    /// How many of `wanted` requests may start now (see ``RegisterBreaker/allowance(_:now:)``).
    func allowance(_ wanted: Int) -> Int {
        breaker.allowance(wanted, now: .now())
    }

    /// A probe allowed but not used.
    func unused() {
        breaker.unused()
    }

    /// Waits until a request may start (at once while the register answers), at most `timeout`.
    func waitForTurn(timeout: Duration) async {
        guard let next = breaker.nextProbe, breaker.downSince != nil else { return }
        let delay = max(0, next.millisecondsSinceEpoch - Timestamp.now().millisecondsSinceEpoch)
        await wake.wait(timeout: min(timeout, .milliseconds(delay)))
    }

    /// The register answered.
    func succeeded() async {
        guard case .cameBack(let failed, let since)? = breaker.succeeded(now: .now()) else { return }
        let seconds = Timestamp.now().millisecondsSinceEpoch / 1_000 - since.millisecondsSinceEpoch / 1_000
        let message = "the \(peer) answers again after \(failed) failed attempts over \(seconds) s"
        logger.notice(message, LogContext(extra: ["failedAttempts": .number(Double(failed)), "downSince": .string(since.description)]))
        await record(.notice, message, detail: ["failedAttempts": .number(Double(failed)), "downSince": .string(since.description)],
                     incident: incidentsApply ? .close(service: peer, kind: .registerOutage) : nil)
        wake.signal()
    }

    /// A request to the register failed for a technical reason.
    func failed(_ reason: String) async {
        guard case .wentDown(let failures)? = breaker.failed(now: .now()) else {
            // A failed probe while down counts in the outage's incident.
            if incidentsApply, breaker.downSince != nil {
                var batch = JournalBatch()
                batch.incidents = [.failure(service: peer, kind: .registerOutage, error: reason)]
                _ = try? await journal.apply(batch)
            }
            return
        }
        let paused = peer == "register" ? "polls and write-backs pause" : "its reports pause"
        let message = "the \(peer) is unreachable (\(reason)); \(paused), one probe at a time with backoff"
        logger.warning(message, LogContext(extra: ["failures": .number(Double(failures))]))
        await record(.warning, message, detail: ["failures": .number(Double(failures))],
                     incident: incidentsApply ? .open(service: peer, kind: .registerOutage, error: reason) : nil)
    }

    /// What a failed register request says about the register: no answer, a timeout or a
    /// 5xx counts against it; any answer (a refusal, refused credentials, a malformed body)
    /// means it is up; a journal failure says nothing.
    func record(_ error: RegisterError) async {
        switch error.code {
        case .unavailable: await failed(error.description)
        case .journal: unused()
        default: await succeeded()
        }
    }

    /// What the register's answer to a write-back says about it, by the same rule.
    func record(_ answer: PeerAnswer) async {
        switch answer {
        case .technical(let reason, _): await failed(reason)
        case .cancelled: unused()
        default: await succeeded()
        }
    }

    /// Runs one request to the register through the breaker: refused at once while the
    /// register is down and no probe is due, and its outcome recorded.
    func guarding<T: Sendable>(_ request: @Sendable () async throws(RegisterError) -> T) async throws(RegisterError) -> T {
        guard breaker.allowance(1, now: .now()) == 1 else {
            throw RegisterError(.unavailable, "the register is unreachable; waiting for the breaker's next probe")
        }
        do {
            let value = try await request()
            await succeeded()
            return value
        } catch {
            await record(error)
            throw error
        }
    }

    /// `ok`, or `unreachable since T (N failed attempts)`, for the heartbeat and `status`.
    var summary: String {
        guard let since = breaker.downSince else { return "ok" }
        return "unreachable since \(since) (\(breaker.consecutiveFailures) failed attempts)"
    }

    /// For `/metrics`: when it last answered, and failures in a row.
    var gauge: (lastSuccess: Timestamp?, consecutiveFailures: Int, up: Bool) {
        (breaker.lastSuccess, breaker.consecutiveFailures, breaker.downSince == nil)
    }

    /// Only the register's outages are incidents; the portal's breaker only logs.
    private var incidentsApply: Bool { peer == "register" }

    private func record(_ level: LogLevel, _ message: String, detail: [String: JSONValue], incident: IncidentChange?) async {
        var batch = JournalBatch()
        batch.events = [NewEvent(level: level, kind: .registerPoll, message: message, detail: .object(detail))]
        batch.incidents = incident.map { [$0] } ?? []
        _ = try? await journal.apply(batch)
    }
}
