/// The engine's scheduling decisions, with no I/O, in the manner of postgres-nio's
/// `PoolStateMachine`: events go in (a due pass begins, claims committed, an agency
/// answered, a job finished, a plan began or ended) and decisions come out (how many to
/// claim and what to leave out, which to send or hand back, what the breaker says, when to
/// wake). The ``SyncEngine`` actor performs them; this type is tested alone.
struct Scheduler: Sendable {
    /// One agency's concurrency and circuit.
    struct Lane: Sendable {
        var maxConcurrent: Int
        var breaker: CircuitBreaker
    }

    private(set) var lanes: [String: Lane] = [:]
    /// Claimed transfers not yet settled in the journal (their rows may still say `sending`),
    /// by id, with their agency.
    private(set) var inFlight: [Int64: String] = [:]
    /// Those of them whose request is on the wire: each holds one of its agency's slots, freed
    /// as soon as the agency answers, so journaling the answer never idles an agency.
    private(set) var onTheWire: [Int64: String] = [:]
    /// Dossiers being planned, with how many plans of each are running (a poll and a
    /// write-back's re-read may overlap): their transfers are not claimed and they are not
    /// reconciled meanwhile. A claim already committing when a plan begins is caught by the
    /// journal instead: the plan's cancellation of that step finds it sent, and is stale.
    private(set) var planning: [String: Int] = [:]
    /// Dossiers being reconciled, and those asked for again meanwhile: calls for one dossier
    /// are serialised and coalesced, so a stale assessment never overwrites a fresh one.
    private(set) var reconciling: Set<String> = []
    private var reconcileAgain: Set<String> = []

    init(agencies: [String: AgencyConfig]) {
        reconfigure(agencies)
    }

    /// Takes a new configuration. A circuit survives when its breaker settings did not change.
    mutating func reconfigure(_ agencies: [String: AgencyConfig]) {
        lanes = agencies.mapValues { agency in
            var breaker = CircuitBreaker(config: agency.circuitBreaker)
            if let old = lanes[agency.name]?.breaker, old.config == agency.circuitBreaker { breaker = old }
            return Lane(maxConcurrent: agency.endpoint.maxConcurrent, breaker: breaker)
        }
    }

    private func wireCount(_ agency: String) -> Int {
        onTheWire.values.count { $0 == agency }
    }

    /// What agency `name` may start now; moves an open circuit to half-open when due.
    private mutating func allowance(_ name: String, now: Timestamp) -> Int {
        guard var lane = lanes[name] else { return 0 }
        let allowed = lane.breaker.allowance(now: now, limit: lane.maxConcurrent - wireCount(name))
        lanes[name] = lane
        return allowed
    }

    /// How many transfers to claim per agency: what its circuit and free slots allow. Empty
    /// when none may start. The claim leaves out what is in flight or being planned here.
    mutating func dueLimits(now: Timestamp) -> [String: Int] {
        var limits: [String: Int] = [:]
        for name in lanes.keys {
            let allowed = allowance(name, now: now)
            if allowed > 0 { limits[name] = allowed }
        }
        return limits
    }

    /// Claims committed: those whose circuit is not open are sent (in flight, on the wire,
    /// a half-open probe counted); the others are handed back.
    mutating func start(_ claimed: [TransferRecord]) -> (send: [TransferRecord], handBack: [TransferRecord]) {
        var send: [TransferRecord] = [], handBack: [TransferRecord] = []
        for transfer in claimed {
            guard var lane = lanes[transfer.agency], lane.breaker.state != .open else {
                handBack.append(transfer)
                continue
            }
            lane.breaker.started()
            lanes[transfer.agency] = lane
            inFlight[transfer.id] = transfer.agency
            onTheWire[transfer.id] = transfer.agency
            send.append(transfer)
        }
        return (send, handBack)
    }

    /// The agency answered transfer `id`: its slot is free. `true` when it held one.
    mutating func answered(_ id: Int64) -> Bool {
        onTheWire.removeValue(forKey: id) != nil
    }

    /// Transfer `id`'s job is done and journaled; the breaker learns how its agency behaved.
    mutating func finished(_ id: Int64, agency: String, health: AgencyHealth, now: Timestamp) -> CircuitBreaker.Transition? {
        onTheWire[id] = nil
        inFlight[id] = nil
        guard var lane = lanes[agency] else { return nil }
        defer { lanes[agency] = lane }
        switch health {
        case .healthy: return lane.breaker.recordSuccess()
        case .failing: return lane.breaker.recordFailure(now: now)
        case .neutral:
            lane.breaker.recordNeutral()
            return nil
        }
    }

    mutating func beginPlanning(_ code: String) {
        planning[code, default: 0] += 1
    }

    mutating func endPlanning(_ code: String) {
        if let count = planning[code], count > 1 { planning[code] = count - 1 } else { planning[code] = nil }
    }

    /// `true` when the caller reconciles `code` now; `false` when the call was coalesced into
    /// a running reconciliation, or deferred to the plan in progress (which reconciles after).
    mutating func beginReconcile(_ code: String) -> Bool {
        guard planning[code] == nil, reconciling.insert(code).inserted else {
            reconcileAgain.insert(code)
            return false
        }
        reconcileAgain.remove(code)
        return true
    }

    /// `true` when another reconciliation of `code` was asked for meanwhile: run it again.
    /// Otherwise `code` is released.
    mutating func endReconcile(_ code: String) -> Bool {
        if reconcileAgain.remove(code) != nil { return true }
        reconciling.remove(code)
        return false
    }

    /// Whether nothing is in flight, planned or reconciled now.
    var isQuiet: Bool { inFlight.isEmpty && planning.isEmpty && reconciling.isEmpty }

    /// When the loop should look again: at the latest in a second (changes other processes
    /// make, replays and reviews, are seen that fast), at the next due item, or when a
    /// circuit lets probes through.
    func wakeTime(now: Timestamp, nextDue: Timestamp?) -> Timestamp {
        var wake = now.adding(milliseconds: 1_000)
        if let nextDue { wake = min(wake, nextDue) }
        for lane in lanes.values {
            if let reopens = lane.breaker.reopensAt { wake = min(wake, reopens) }
        }
        return wake
    }

    /// Circuit state per agency, for metrics and the heartbeat.
    var circuitStates: [String: CircuitBreaker.State] { lanes.mapValues(\.breaker.state) }
}
