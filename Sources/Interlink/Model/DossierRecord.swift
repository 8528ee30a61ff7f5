/// A journaled dossier version with its current outcome.
public struct DossierRecord: Sendable, Hashable {
    /// The version as read from the register.
    public var snapshot: DossierSnapshot
    /// Where it stands as a whole.
    public var outcome: DossierOutcome
    /// Why the outcome is what it is: agency reasons, discrepancies, quarantine causes.
    public var reasons: JSONValue?
    /// When Interlink first stored it.
    public var seenAt: Timestamp
    /// Facts its transfers do not show.
    public var flags: DossierFlags
    /// Whether the dossier's transfers were planned.
    public var planned: Bool
    /// Transfer changes not yet reconciled into the outcome.
    public var pendingChanges: Int

    /// A record as a backend reads it.
    public init(snapshot: DossierSnapshot, outcome: DossierOutcome, reasons: JSONValue?, seenAt: Timestamp, flags: DossierFlags,
                planned: Bool, pendingChanges: Int) {
        self.snapshot = snapshot
        self.outcome = outcome
        self.reasons = reasons
        self.seenAt = seenAt
        self.flags = flags
        self.planned = planned
        self.pendingChanges = pendingChanges
    }
}
