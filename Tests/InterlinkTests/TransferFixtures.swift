@testable import Interlink

/// Transfers and configs for the pure state machines' tests.
enum TransferFixtures {
    static func record(id: Int64 = 1, code: String = "A", step: String = "birth", agency: String = "civil-registry",
                       state: TransferState, attempts: Int = 1, receipt: String? = "HT-1") -> TransferRecord {
        TransferRecord(id: id, dossierCode: code, dossierVersion: 1, step: step, agency: agency, operation: "/births", state: state,
                       idempotencyKey: "\(code):v1:\(step)", attempts: attempts, nextAttemptAt: nil,
                       firstAttemptAt: Timestamp(millisecondsSinceEpoch: 1_000), receipt: state == .ready ? nil : receipt, result: nil,
                       reasons: nil, lastError: nil, createdAt: Timestamp(millisecondsSinceEpoch: 0), updatedAt: Timestamp(millisecondsSinceEpoch: 0))
    }

    static func agency(_ name: String, maxConcurrent: Int = 2, failureThreshold: Int = 2, maxAttempts: Int = 3) -> AgencyConfig {
        AgencyConfig(name: name, endpoint: EndpointConfig(baseURL: "https://\(name).example", auth: .none, maxConcurrent: maxConcurrent),
                     retry: RetryPolicyConfig(maxAttempts: maxAttempts, initialDelayMs: 100, maxDelayMs: 1_000, maxAgeSeconds: 3_600),
                     circuitBreaker: CircuitBreakerConfig(failureThreshold: failureThreshold, openSeconds: 10, halfOpenProbes: 1))
    }
}
