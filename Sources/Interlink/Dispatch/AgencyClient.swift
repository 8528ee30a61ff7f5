/// The three things Interlink asks of an agency, each in the dialect its configuration gives
/// (``AgencyDialect``); the dispatcher and transfer job are the same for every agency.
public protocol AgencyClient: Sendable {
    /// Sends one step's request to its path.
    func push(path: String, body: [UInt8], idempotencyKey: String, dialect: AgencyDialect) async -> AgencyReply
    /// Asks whether the agency has decided on `receipt`.
    func followReceipt(_ receipt: String, dialect: AgencyDialect) async -> AgencyReply
    /// Asks the agency to withdraw `receipt`, under its own idempotency key.
    func cancelReceipt(_ receipt: String, idempotencyKey: String, dialect: AgencyDialect) async -> AgencyReply
}
