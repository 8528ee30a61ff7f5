public import Interlink

/// Faults injected into one simulated service. Rates are fractions of requests (0…1).
public struct FaultSpec: Sendable, Hashable {
    public var error5xxRate = 0.0
    /// Requests answered only after `timeoutDelayMs`, past the client's timeout.
    public var timeoutRate = 0.0
    public var timeoutDelayMs = 10_000
    /// Connections reset before anything is done.
    public var resetRate = 0.0
    /// Connections reset after the effect was applied: the client never learns it succeeded.
    public var resetAfterEffectRate = 0.0
    public var malformedJSONRate = 0.0
    /// 429 or 503 with `Retry-After`, alternating between the seconds and HTTP-date forms.
    public var rateLimitRate = 0.0
    public var retryAfterSeconds = 1
    public var latencyMs = 0
    /// Refuse connections.
    public var down = false
    /// Agencies: how long a decision takes; 0 decides at once with 200.
    public var decisionDelayMs = 0
    /// Register: new dossiers appear with an `updatedAt` up to this far in the past.
    public var lateCommitSkewMs = 0

    public init() {}

    public static let fieldNames = [
        "error5xxRate", "timeoutRate", "timeoutDelayMs", "resetRate", "resetAfterEffectRate", "malformedJsonRate",
        "rateLimitRate", "retryAfterSeconds", "latencyMs", "down", "decisionDelayMs", "lateCommitSkewMs",
    ]

    /// Applies the members present in `json` over the current values.
    public mutating func merge(_ json: JSONValue) throws(SimulatorError) {
        guard case .object(let members) = json else { throw SimulatorError("a fault spec must be an object") }
        for (key, value) in members {
            func rate() throws(SimulatorError) -> Double {
                guard let number = value.numberValue, (0...1).contains(number) else { throw SimulatorError("\(key) must be a number from 0 to 1") }
                return number
            }
            func milliseconds() throws(SimulatorError) -> Int {
                guard let number = value.intValue, number >= 0 else { throw SimulatorError("\(key) must be a whole number ≥ 0") }
                return number
            }
            switch key {
            case "error5xxRate": error5xxRate = try rate()
            case "timeoutRate": timeoutRate = try rate()
            case "timeoutDelayMs": timeoutDelayMs = try milliseconds()
            case "resetRate": resetRate = try rate()
            case "resetAfterEffectRate": resetAfterEffectRate = try rate()
            case "malformedJsonRate": malformedJSONRate = try rate()
            case "rateLimitRate": rateLimitRate = try rate()
            case "retryAfterSeconds": retryAfterSeconds = try milliseconds()
            case "latencyMs": latencyMs = try milliseconds()
            case "decisionDelayMs": decisionDelayMs = try milliseconds()
            case "lateCommitSkewMs": lateCommitSkewMs = try milliseconds()
            case "down":
                guard let flag = value.boolValue else { throw SimulatorError("down must be true or false") }
                down = flag
            default:
                throw SimulatorError("unknown fault \(key); known: \(Self.fieldNames.joined(separator: ", "))")
            }
        }
    }

    public var json: JSONValue {
        [
            "error5xxRate": .number(error5xxRate), "timeoutRate": .number(timeoutRate),
            "timeoutDelayMs": .number(Double(timeoutDelayMs)), "resetRate": .number(resetRate),
            "resetAfterEffectRate": .number(resetAfterEffectRate), "malformedJsonRate": .number(malformedJSONRate),
            "rateLimitRate": .number(rateLimitRate), "retryAfterSeconds": .number(Double(retryAfterSeconds)),
            "latencyMs": .number(Double(latencyMs)), "down": .bool(down),
            "decisionDelayMs": .number(Double(decisionDelayMs)), "lateCommitSkewMs": .number(Double(lateCommitSkewMs)),
        ]
    }
}

/// What the fault plan decided for one request, before the service handles it.
enum InjectedFault: Equatable {
    case none
    case reset
    case serverError
    case slow(milliseconds: Int)
    case rateLimited(status: Int, retryAfter: String)
    /// Handle normally, then replace the body with broken JSON.
    case malformedBody
    /// Handle normally (the effect happens), then reset instead of answering.
    case resetAfterEffect

    /// How `/_sim/stats` counts it.
    var name: String {
        switch self {
        case .none: "none"
        case .reset: "reset"
        case .serverError: "5xx"
        case .slow: "slow"
        case .rateLimited: "rate-limited"
        case .malformedBody: "malformed"
        case .resetAfterEffect: "lost-response"
        }
    }
}

extension FaultSpec {
    /// Draws this request's fault. `occurrence` counts how often the same request was seen,
    /// so a retry gets a fresh draw yet the whole run stays reproducible from the seed.
    func draw(random: DeterministicRandom, service: String, requestKey: String, occurrence: Int) -> InjectedFault {
        let roll = random.fraction(service, requestKey, String(occurrence), "fault")
        var threshold = 0.0
        func hit(_ rate: Double) -> Bool {
            threshold += rate
            return roll < threshold
        }
        if hit(resetRate) { return .reset }
        if hit(error5xxRate) { return .serverError }
        if hit(timeoutRate) { return .slow(milliseconds: timeoutDelayMs) }
        if hit(rateLimitRate) {
            let useDate = random.fraction(service, requestKey, String(occurrence), "form") < 0.5
            let status = random.fraction(service, requestKey, String(occurrence), "status") < 0.5 ? 429 : 503
            let retryAfter = useDate
                ? HTTPDate.format(Timestamp.now().adding(milliseconds: Int64(retryAfterSeconds) * 1_000 + 999))
                : String(retryAfterSeconds)
            return .rateLimited(status: status, retryAfter: retryAfter)
        }
        if hit(malformedJSONRate) { return .malformedBody }
        if hit(resetAfterEffectRate) { return .resetAfterEffect }
        return .none
    }
}

/// A simulator request or flag that cannot be honoured.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
