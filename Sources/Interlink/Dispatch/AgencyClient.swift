/// The three things Interlink asks of an agency. An agency that speaks another dialect is a
/// different conformance, chosen by configuration; the dispatcher and transfer job stay the same.
public protocol AgencyClient: Sendable {
    /// Sends one step's request to its operation.
    func push(operation: String, body: [UInt8], idempotencyKey: String) async -> AgencyReply
    /// Asks whether the agency has decided on `receipt`.
    func followReceipt(_ receipt: String) async -> AgencyReply
    /// Asks the agency to withdraw `receipt`, under its own idempotency key.
    func cancelReceipt(_ receipt: String, idempotencyKey: String) async -> AgencyReply
}
