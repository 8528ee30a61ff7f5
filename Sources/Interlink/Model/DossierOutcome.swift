/// Where a dossier stands as a whole, as written back to the register.
public enum DossierOutcome: String, Sendable, Hashable, CaseIterable {
    case inProgress = "in-progress"
    case completed
    /// An agency rejected it on business grounds; the clerk asks the citizen for more.
    case supplementRequested = "supplement-requested"
    /// Agencies' results disagree with each other or with the dossier.
    case needsReview = "needs-review"
    /// Transfers died; an administrator must replay them.
    case failed
    /// The dossier lacked what its route needs; nothing was sent. Written back as supplement-requested.
    case quarantined
    /// The register withdrew the dossier: steps not sent were cancelled, and receipts agencies issued are being
    /// or were withdrawn. Not written back.
    case cancelled
    /// No route is configured for its procedure. Not written back.
    case notRouted = "not-routed"

    /// The outcome the register's contract knows, or `nil` when nothing is written back.
    public var registerOutcome: String? {
        switch self {
        case .inProgress, .completed, .supplementRequested, .needsReview, .failed: rawValue
        case .quarantined: DossierOutcome.supplementRequested.rawValue
        case .cancelled, .notRouted: nil
        }
    }
}
