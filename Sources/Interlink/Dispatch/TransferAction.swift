/// What a claimed transfer asks of its agency, decided by its state when claimed.
enum TransferAction: Sendable, Hashable {
    /// Send the step's request (`ready`, `retrying`, or `sending` left by a crash).
    case push
    /// Ask whether the agency decided on its receipt (`accepted`).
    case followReceipt
    /// Ask the agency to withdraw its receipt (`cancelling`).
    case cancelReceipt

    init(state: TransferState) {
        switch state {
        case .accepted: self = .followReceipt
        case .cancelling: self = .cancelReceipt
        case .waiting, .ready, .sending, .completed, .rejected, .retrying, .dead, .cancelled: self = .push
        }
    }
}
