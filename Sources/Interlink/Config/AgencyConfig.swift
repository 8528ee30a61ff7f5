/// How a technical failure is retried: capped exponential backoff with full jitter, until
/// either budget runs out and the transfer is `dead`.
public struct RetryPolicyConfig: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialDelayMs: Int
    public var maxDelayMs: Int
    /// A transfer older than this since its first attempt is not retried again.
    public var maxAgeSeconds: Int

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
    public var failureThreshold: Int
    public var openSeconds: Int
    /// Requests let through while half-open; all must succeed to close the circuit.
    public var halfOpenProbes: Int

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
    public var intervalSeconds: Int
    public var maxIntervalSeconds: Int

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
    public var name: String
    public var endpoint: EndpointConfig
    public var retry: RetryPolicyConfig
    public var circuitBreaker: CircuitBreakerConfig
    public var receipts: ReceiptPollingConfig

    public init(name: String, endpoint: EndpointConfig, retry: RetryPolicyConfig = RetryPolicyConfig(),
                circuitBreaker: CircuitBreakerConfig = CircuitBreakerConfig(), receipts: ReceiptPollingConfig = ReceiptPollingConfig()) {
        self.name = name
        self.endpoint = endpoint
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.receipts = receipts
    }

    init?(name: String, reading object: ConfigObjectReader, secrets: SecretResolver, collector: IssueCollector) {
        let endpoint = EndpointConfig(reading: object, secrets: secrets, collector: collector)
        let retry = RetryPolicyConfig(reading: object.object("retry"))
        let breaker = CircuitBreakerConfig(reading: object.object("circuitBreaker"))
        let receipts = ReceiptPollingConfig(reading: object.object("receipts"))
        object.finish()
        guard let endpoint else { return nil }
        self.init(name: name, endpoint: endpoint, retry: retry, circuitBreaker: breaker, receipts: receipts)
    }
}
