/// How a technical failure is retried: capped exponential backoff with full jitter, until
/// either budget runs out and the transfer is `dead`.
public struct RetryPolicyConfig: Sendable, Hashable {
    /// Attempts after which a transfer is `dead`, counting the first.
    public var maxAttempts: Int
    /// Upper bound of the first retry's random delay, in milliseconds; it doubles with each attempt.
    public var initialDelayMs: Int
    /// Cap on the backoff bound, in milliseconds; a server's `Retry-After` may still ask for longer.
    public var maxDelayMs: Int
    /// A transfer older than this since its first attempt is not retried again.
    public var maxAgeSeconds: Int

    /// A policy with the given budgets; the defaults allow 12 attempts within a day, backing off from 0.5 s up to 5 minutes.
    public init(maxAttempts: Int = 12, initialDelayMs: Int = 500, maxDelayMs: Int = 300_000, maxAgeSeconds: Int = 86_400) {
        self.maxAttempts = maxAttempts
        self.initialDelayMs = initialDelayMs
        self.maxDelayMs = maxDelayMs
        self.maxAgeSeconds = maxAgeSeconds
    }

    init(reading object: ConfigObjectReader?) {
        let fallback = RetryPolicyConfig()
        guard let object else {
            self = fallback
            return
        }
        maxAttempts = object.int("maxAttempts", default: fallback.maxAttempts, in: 1...1_000)
        initialDelayMs = object.int("initialDelayMs", default: fallback.initialDelayMs, in: 1...3_600_000)
        maxDelayMs = object.int("maxDelayMs", default: fallback.maxDelayMs, in: 1...86_400_000)
        maxAgeSeconds = object.int("maxAgeSeconds", default: fallback.maxAgeSeconds, in: 1...(90 * 86_400))
        if maxDelayMs < initialDelayMs { object.report("maxDelayMs", "must not be below initialDelayMs") }
        object.finish()
    }
}

/// When an agency's circuit opens (consecutive technical failures) and how it probes recovery.
public struct CircuitBreakerConfig: Sendable, Hashable {
    /// Consecutive technical failures that open the circuit.
    public var failureThreshold: Int
    /// How long an open circuit keeps every request from the agency before probing, in seconds.
    public var openSeconds: Int
    /// Requests let through while half-open; all must succeed to close the circuit.
    public var halfOpenProbes: Int

    /// Breaker settings; by default 5 failures open the circuit for 30 s, and one successful probe closes it.
    public init(failureThreshold: Int = 5, openSeconds: Int = 30, halfOpenProbes: Int = 1) {
        self.failureThreshold = failureThreshold
        self.openSeconds = openSeconds
        self.halfOpenProbes = halfOpenProbes
    }

    init(reading object: ConfigObjectReader?) {
        let fallback = CircuitBreakerConfig()
        guard let object else {
            self = fallback
            return
        }
        failureThreshold = object.int("failureThreshold", default: fallback.failureThreshold, in: 1...10_000)
        openSeconds = object.int("openSeconds", default: fallback.openSeconds, in: 1...86_400)
        halfOpenProbes = object.int("halfOpenProbes", default: fallback.halfOpenProbes, in: 1...100)
        object.finish()
    }
}

/// How often undecided receipts are asked about. The interval grows to `maxIntervalSeconds`
/// because land decisions take days.
public struct ReceiptPollingConfig: Sendable, Hashable {
    /// The shortest wait between polls of one receipt, in seconds; the wait is a tenth of the receipt's age, at least this.
    public var intervalSeconds: Int
    /// The longest wait between polls of one receipt, in seconds.
    public var maxIntervalSeconds: Int

    /// Polling settings; by default a receipt is asked about every 30 s at first and at least hourly later.
    public init(intervalSeconds: Int = 30, maxIntervalSeconds: Int = 3_600) {
        self.intervalSeconds = intervalSeconds
        self.maxIntervalSeconds = maxIntervalSeconds
    }

    init(reading object: ConfigObjectReader?) {
        let fallback = ReceiptPollingConfig()
        guard let object else {
            self = fallback
            return
        }
        intervalSeconds = object.int("intervalSeconds", default: fallback.intervalSeconds, in: 1...86_400)
        maxIntervalSeconds = object.int("maxIntervalSeconds", default: fallback.maxIntervalSeconds, in: 1...(7 * 86_400))
        if maxIntervalSeconds < intervalSeconds { object.report("maxIntervalSeconds", "must not be below intervalSeconds") }
        object.finish()
    }
}

/// One agency Interlink pushes to.
public struct AgencyConfig: Sendable, Hashable {
    /// The agency's name, as transfers and routes refer to it.
    public var name: String
    /// How to reach the agency over HTTP.
    public var endpoint: EndpointConfig
    /// How failed pushes to this agency are retried.
    public var retry: RetryPolicyConfig
    /// When this agency's circuit opens and how it recovers.
    public var circuitBreaker: CircuitBreakerConfig
    /// How often this agency's undecided receipts are polled.
    public var receipts: ReceiptPollingConfig
    /// How the agency speaks (`dialect`); CONTRACTS.md unless configured.
    public var dialect: AgencyDialect
    /// Its result fields declared personal or sensitive (`privacy`), masked like the defaults.
    public var maskedFields: Set<String> = []

    /// An agency configuration; the retry, breaker and polling settings default to their types' defaults.
    public init(name: String, endpoint: EndpointConfig, retry: RetryPolicyConfig = RetryPolicyConfig(),
                circuitBreaker: CircuitBreakerConfig = CircuitBreakerConfig(), receipts: ReceiptPollingConfig = ReceiptPollingConfig(),
                dialect: AgencyDialect = .contract) {
        self.name = name
        self.endpoint = endpoint
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.receipts = receipts
        self.dialect = dialect
    }

    init?(name: String, reading object: ConfigObjectReader, secrets: SecretResolver, collector: IssueCollector) {
        let endpoint = EndpointConfig(reading: object, secrets: secrets, collector: collector)
        let retry = RetryPolicyConfig(reading: object.object("retry"))
        let breaker = CircuitBreakerConfig(reading: object.object("circuitBreaker"))
        let receipts = ReceiptPollingConfig(reading: object.object("receipts"))
        let dialect = AgencyDialect.contract.overridden(by: object.object("dialect"))
        let masked = Self.privacyFields(object.object("privacy"))
        object.finish()
        guard let endpoint else { return nil }
        self.init(name: name, endpoint: endpoint, retry: retry, circuitBreaker: breaker, receipts: receipts, dialect: dialect)
        maskedFields = masked
    }

    /// `privacy: {"personal": [field names], "sensitive": [field names]}`: both are masked in
    /// logs, events and displays; sensitive ones are Decree 13's special categories.
    static func privacyFields(_ object: ConfigObjectReader?) -> Set<String> {
        guard let object else { return [] }
        defer { object.finish() }
        return Set(object.stringArray("personal") + object.stringArray("sensitive"))
    }
}
