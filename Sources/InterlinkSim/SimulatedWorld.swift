public import Interlink
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything the simulated register and agencies know, behind one lock.
///
/// Handlers run on the HTTP server's event loop, or, when a service's faults make requests
/// wait, on a thread each; they take the lock only for short bookkeeping and sleep (injected
/// latency) outside it.
public final class SimulatedWorld: Sendable {
    public static let services = ["register", "civil-registry", "land", "insurance"]

    struct State: ~Copyable {
        var register = RegisterStore()
        var hints: [String: JSONValue] = [:]
        var faults: [String: FaultSpec] = [:]
        var occurrences: [String: Int] = [:]
        var idempotency: [String: [String: IdempotencyRecord]] = [:]
        var receipts: [String: [String: Receipt]] = [:]
        var issued = IssuedRecords()
        var parcels: Set<String> = []
        private(set) var effects: [SimulatedEffect] = []
        private(set) var tally = EffectTally()
        var requests: [String: Int] = [:]
        /// Requests refused with 401 for a missing or wrong token, by service.
        var unauthorized: [String: Int] = [:]
        /// Faults injected, by kind, for reliability scenarios to count against.
        var injected: [String: Int] = [:]
        /// Requests that repeated an Idempotency-Key already seen (retries and replays).
        var keyRepeats = 0
        /// Raw bodies an agency answers with (HTTP 200) instead of handling the next pushes to
        /// an operation, keyed "service path": the agency side of the bad-input corpus.
        var badAnswers: [String: [[UInt8]]] = [:]
        var badAnswersServed = 0
        /// Effectful requests being processed now (their key is taken, their answer not stored).
        var keysInFlight = 0
        /// `GET …/interconnection` requests: what recovery from the register costs.
        var recordReads = 0
        /// The national portal: the latest dossier version synced, and every progress status reported, by dossier.
        var portalSynced: [String: Int] = [:]
        var portalProgress: [String: [Int]] = [:]
        /// Progress reports refused because their dossier was not synced first.
        var portalOutOfOrder = 0

        /// Records an applied effect, and counts it for the stats.
        mutating func record(_ effect: SimulatedEffect) {
            effects.append(effect)
            tally.count(effect)
        }
    }

    let random: DeterministicRandom
    let tokens: [String: String]
    let state = Mutex(State())
    /// Services whose faults make a request wait (latency, timeouts), one bit each in the
    /// order of ``services``: read without the lock on every request, to decide whether it
    /// may be answered on the event loop or must wait on a thread of its own.
    private let waiting = Atomic<Int>(0)

    /// Sets every service's faults.
    public func setFaults(_ faults: [String: FaultSpec]) {
        state.withLock { $0.faults = faults }
        let mask = Self.services.enumerated().reduce(0) { mask, entry in
            let spec = faults[entry.element] ?? FaultSpec()
            return spec.latencyMs > 0 || spec.timeoutRate > 0 ? mask | (1 << entry.offset) : mask
        }
        waiting.store(mask, ordering: .releasing)
    }

    /// Whether a request to `service` may sleep (injected latency or a timeout).
    public func mayWait(_ service: String) -> Bool {
        guard let index = Self.services.firstIndex(of: service) else { return false }
        return waiting.load(ordering: .acquiring) & (1 << index) != 0
    }

    public init(seed: UInt64, tokens: [String: String]) {
        random = DeterministicRandom(seed: seed)
        self.tokens = tokens
    }

    /// Serves one request to `service`, injecting its configured faults.
    public func handle(service: String, request: HTTPServerRequest) -> HTTPServerResponse {
        guard let token = tokens[service], request.headers["Authorization"] == "Bearer \(token)" else {
            state.withLock { $0.unauthorized[service, default: 0] += 1 }
            return .error(401, code: "unauthorized", message: "a valid bearer token is required")
        }
        let key = request.headers["Idempotency-Key"]
        let requestKey = key ?? request.method + " " + request.path + "?" + request.query.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let (spec, occurrence) = state.withLock { state in
            state.requests[service, default: 0] += 1
            let counter = service + "|" + requestKey
            state.occurrences[counter, default: 0] += 1
            return (state.faults[service] ?? FaultSpec(), state.occurrences[counter]!)
        }
        if service != "register", request.method == "POST", key != nil, let raw = nextBadAnswer(service + " " + request.path) {
            return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: raw)
        }
        let fault = spec.draw(random: random, service: service, requestKey: requestKey, occurrence: occurrence)
        // A reset after a request without a key loses no effect: it counts as a plain reset.
        let counted = fault == .resetAfterEffect && key == nil ? "reset" : fault.name
        if fault != .none { state.withLock { $0.injected[counted, default: 0] += 1 } }
        switch fault {
        case .reset: return .reset
        case .serverError: return .error(503, code: "unavailable", message: "the service is temporarily unavailable")
        case .rateLimited(let status, let retryAfter):
            return .error(status, code: "rate-limited", message: "slow down", headers: ["Retry-After": retryAfter])
        case .slow(let milliseconds): Self.sleep(milliseconds: milliseconds)
        case .none, .malformedBody, .resetAfterEffect: break
        }
        var response = service == "register" && request.path.hasPrefix(Self.nationalPortalPrefix)
            ? handleNationalPortal(request, key: key, latencyMs: spec.latencyMs)
            : service == "register"
            ? handleRegister(request, key: key, latencyMs: spec.latencyMs)
            : handleAgency(service, request, key: key, latencyMs: spec.latencyMs, decisionDelayMs: spec.decisionDelayMs)
        switch fault {
        case .resetAfterEffect: return .reset
        case .malformedBody: response.body = Array(response.body.prefix(max(1, response.body.count / 2)))
        default: break
        }
        return response
    }

    /// The next queued bad answer for `operation` ("service path"), if any; the push it answers has no effect.
    private func nextBadAnswer(_ operation: String) -> [UInt8]? {
        state.withLock { state in
            guard var queue = state.badAnswers[operation], !queue.isEmpty else { return nil }
            let raw = queue.removeFirst()
            state.badAnswers[operation] = queue
            state.badAnswersServed += 1
            return raw
        }
    }

    static func sleep(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        usleep(UInt32(min(milliseconds, 600_000)) * 1_000)
    }

    /// Runs an effectful request once per Idempotency-Key: a repeat with the same body gets
    /// the stored answer, a different body 422, and a repeat while the first runs 409.
    /// Keys are scoped to `scope` (the method and path), as the IETF draft says: the same key
    /// on another operation is another request.
    func idempotent(service: String, scope: String, key rawKey: String?, body: [UInt8], latencyMs: Int,
                    perform: (inout State) -> (response: StoredResponse, effect: SimulatedEffect?)) -> HTTPServerResponse {
        guard let rawKey, !rawKey.isEmpty, rawKey.utf8.count <= 255 else {
            return .error(400, code: "idempotency-key-missing", message: "an Idempotency-Key header of 1 to 255 characters is required")
        }
        let key = scope + " " + rawKey
        let fingerprint = random.value(String(decoding: body, as: UTF8.self))
        let earlier = state.withLock { state -> HTTPServerResponse? in
            if let record = state.idempotency[service]?[key] {
                state.keyRepeats += 1
                guard record.bodyFingerprint == fingerprint else {
                    return .error(422, code: "idempotency-key-reused", message: "this Idempotency-Key was used with a different body")
                }
                guard let stored = record.response else {
                    return .error(409, code: "idempotency-key-in-flight", message: "the first request with this key is still being processed")
                }
                return .json(stored.status, stored.body)
            }
            state.idempotency[service, default: [:]][key] = IdempotencyRecord(bodyFingerprint: fingerprint, response: nil)
            state.keysInFlight += 1
            return nil
        }
        if let earlier { return earlier }
        Self.sleep(milliseconds: latencyMs)
        let stored = state.withLock { state -> StoredResponse in
            var outcome = perform(&state)
            if var effect = outcome.effect {
                effect.idempotencyKey = rawKey
                state.record(effect)
                outcome.effect = effect
            }
            state.idempotency[service]![key]!.response = outcome.response
            state.keysInFlight -= 1
            return outcome.response
        }
        return .json(stored.status, stored.body)
    }

    static func errorBody(_ code: String, _ message: String, fields: [JSONValue] = []) -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message), "fields": .array(fields)]]
    }

    /// Today in Vietnam (UTC+7), the date agencies judge "in the future" against.
    static var today: CalendarDate {
        Timestamp.now().adding(milliseconds: 7 * 3_600_000).utcDate
    }
}

extension HTTPServerResponse {
    static func error(_ status: Int, code: String, message: String, headers: HTTPHeaders) -> HTTPServerResponse {
        var response = HTTPServerResponse.error(status, code: code, message: message)
        for field in headers { response.headers.set(field.name, field.value) }
        return response
    }
}
