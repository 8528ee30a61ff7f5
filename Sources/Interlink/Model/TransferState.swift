/// Where one step of one dossier version stands.
///
/// `waiting` → `ready` → `sending` → `accepted` → `completed` | `rejected`; technical
/// failures go `retrying` → … → `dead`; a withdrawn dossier makes it `cancelled`, through
/// `cancelling` while the agency is asked to withdraw a receipt it issued.
public enum TransferState: String, Sendable, Hashable, CaseIterable {
    /// Blocked on a step it needs.
    case waiting
    /// Due to be sent.
    case ready
    /// A request is (or may be) in flight. After a crash it is re-sent under the same key.
    case sending
    /// The agency issued a receipt; its decision is pending.
    case accepted
    /// The agency decided for the dossier; its result is stored.
    case completed
    /// The agency decided against the dossier (a business rejection). Never retried.
    case rejected
    /// A technical failure; another attempt is due at `nextAttemptAt`.
    case retrying
    /// The retry budget ran out, or the request can never succeed (401, 400).
    case dead
    /// The dossier was withdrawn; nothing more is sent for this step.
    case cancelled
    /// The dossier was withdrawn after the agency issued a receipt: the cancellation is
    /// journaled, sent under its own key and retried until the agency confirms it (then
    /// `cancelled`) or says it already decided (then `accepted`, to follow that decision).
    case cancelling

    /// States no automatic process leaves.
    public var isFinal: Bool {
        switch self {
        case .completed, .rejected, .dead, .cancelled: true
        case .waiting, .ready, .sending, .accepted, .retrying, .cancelling: false
        }
    }
}
