public import Interlink

/// An applied effect, as `GET /_sim/effects` lists it: the proof of "exactly once".
public struct SimulatedEffect: Sendable, Hashable {
    public var service: String
    public var operation: String
    public var idempotencyKey: String
    public var dossierCode: String
    public var receipt: String?
    public var at: Timestamp

    var json: JSONValue {
        ["agency": .string(service), "operation": .string(operation), "idempotencyKey": .string(idempotencyKey),
         "dossierCode": .string(dossierCode), "receipt": receipt.map(JSONValue.string) ?? .null, "at": .string(at.description)]
    }
}

/// A response kept for an idempotency key, replayed when the same request comes again.
struct StoredResponse {
    var status: Int
    var body: JSONValue
}

/// The Idempotency-Key records of one service (draft-ietf-httpapi-idempotency-key-header).
struct IdempotencyRecord {
    var bodyFingerprint: UInt64
    /// `nil` while the first request is still being processed.
    var response: StoredResponse?
}

/// A request whose decision comes later.
struct Receipt {
    enum Decision {
        case completed(JSONValue)
        case rejected([JSONValue])
    }

    var id: String
    var operation: String
    var dossierCode: String
    var decideAtMs: Int64
    var decision: Decision
    var cancelled = false
}

/// What the agencies have issued, so a later step can be checked against an earlier one.
struct IssuedRecords {
    /// Child personal IDs from birth registration, with the registered name and date of birth.
    var personalIDs: [String: (fullName: String, dateOfBirth: String)] = [:]
    var deathCertificates: Set<String> = []
    /// Marital-status confirmations and the date they stop being valid.
    var confirmations: [String: CalendarDate] = [:]
}
