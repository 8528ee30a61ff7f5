/// Deadlines not settled yet, with what their dossiers' statuses are computed from, all read
/// in one snapshot: the newest version of each dossier, its transfers, and whether the
/// register still waits for its write-back. One read for them all keeps `status`, `overdue`
/// and the deadline watch flat in how many deadlines are open, where a read per dossier made
/// each take seconds with a few thousand.
public struct OpenDeadlines: Sendable {
    /// Earliest due first.
    public var deadlines: [DeadlineRecord] = []
    /// The newest version of each deadline's dossier, by code.
    public var dossiers: [String: (version: Int, outcome: DossierOutcome?)] = [:]
    /// Each dossier's transfers, every version, by code, in the order they were planned.
    public var transfers: [String: [TransferRecord]] = [:]
    /// Dossiers whose register write-back is pending.
    public var writeBackPending: Set<String> = []

    public init(deadlines: [DeadlineRecord] = []) {
        self.deadlines = deadlines
    }
}
