/// How one agency (or one of its operations) speaks: the request's method and headers, where
/// the answer keeps its decision, receipt, result, reasons and error code, what counts as a
/// success, and where receipts are polled and cancelled. Configured under `dialect`, per
/// agency and overridable per step; ``contract`` is CONTRACTS.md, so a config without a
/// `dialect` speaks it unchanged.
public struct AgencyDialect: Sendable, Hashable {
    /// The push's method: `POST` or `PUT`.
    public var method: String
    /// Extra static headers on every request to the agency.
    public var headers: [String: String]
    /// The header that carries the idempotency key.
    public var keyHeader: String
    /// What a success is, beyond a 2xx status.
    public var success: SuccessRule
    /// Where the decision is and what its values mean; `nil` when the agency names no
    /// decision: a success is then a completion.
    public var decision: DecisionRule?
    /// Where the receipt id is.
    public var receipt: JSONPointer
    /// The result: a JSON Pointer to the result object (empty: the whole body), or a
    /// template over the answer that builds it (renaming fields, converting dates), so later
    /// steps and checks read every agency's results alike.
    public var result: PayloadTemplate
    /// Where the reasons of a rejection are (an array, or one value).
    public var reasons: JSONPointer
    /// Where an error's message is, for a failed success rule.
    public var errorMessage: JSONPointer?
    /// How a receipt is polled: `{receipt}` is filled in.
    public var receiptPoll: Call
    /// How a receipt is cancelled.
    public var cancel: Call

    /// A request other than the push: its method, path and body.
    public struct Call: Sendable, Hashable {
        /// `GET`, `POST`, `PUT` or `DELETE`.
        public var method: String
        /// With `{receipt}`.
        public var path: PathTemplate
        /// The JSON body sent (`{}` by default; nothing for a GET).
        public var body: JSONValue?
    }

    /// What a successful answer is: one of `statuses` (any 2xx when empty) and, when
    /// `pointer` is set, a value there that is one of `values` (compared as text, so
    /// `error_code` 0 and "0" agree; add "00" for the versions that send it).
    public struct SuccessRule: Sendable, Hashable {
        /// The 2xx statuses that may be a success; empty: any.
        public var statuses: Set<Int>
        /// Where the success value is, if the body carries one.
        public var pointer: JSONPointer?
        /// The values (as text) that mean success.
        public var values: Set<String>
        /// Failure values worth another attempt (the agency's "busy" codes); any other is a refusal.
        public var retryable: Set<String>
    }

    /// Where the decision is and what the agency's words for it mean.
    public struct DecisionRule: Sendable, Hashable {
        /// Where the decision is.
        public var pointer: JSONPointer
        /// The agency's value (as text) → what it means.
        public var vocabulary: [String: Meaning]
    }

    /// What a decision value means to Interlink.
    public enum Meaning: String, Sendable, Hashable, CaseIterable {
        case completed, accepted, processing, rejected, cancelled
    }

    /// CONTRACTS.md: `POST`, `Idempotency-Key`, `{receipt, status, result, reasons}`,
    /// `GET /receipts/{receipt}` and `POST /receipts/{receipt}/cancel`.
    public static let contract = AgencyDialect(
        method: "POST", headers: [:], keyHeader: "Idempotency-Key",
        success: SuccessRule(statuses: [], pointer: nil, values: [], retryable: []),
        decision: DecisionRule(pointer: JSONPointer(tokens: ["status"]),
                               vocabulary: Dictionary(uniqueKeysWithValues: Meaning.allCases.map { ($0.rawValue, $0) })),
        receipt: JSONPointer(tokens: ["receipt"]), result: .pointer(JSONPointer(tokens: ["result"])), reasons: JSONPointer(tokens: ["reasons"]),
        errorMessage: nil,
        receiptPoll: Call(method: "GET", path: try! PathTemplate("/receipts/{receipt}"), body: nil),
        cancel: Call(method: "POST", path: try! PathTemplate("/receipts/{receipt}/cancel"), body: .object([:])))
}
