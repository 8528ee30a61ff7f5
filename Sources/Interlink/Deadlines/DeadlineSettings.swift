/// `deadlines` and `incidents`: how often deadlines are checked, what counts as nearly due,
/// and when a run of dead transfers or a stalled queue becomes an incident.
public struct DeadlineSettings: Sendable, Hashable {
    /// Seconds between deadline checks (default 30).
    public var checkSeconds = 30
    /// A dossier due within this many working hours is nearly due (default 4).
    public var dueSoonWorkingHours = 4
    /// Transfers at one agency that go dead in a row before an incident opens (default 3).
    public var deadTransfersInARow = 3
    /// Seconds a service's work may wait without any completing before an incident opens (default 1800).
    public var stalledSeconds = 1_800

    /// The defaults.
    public init() {}

    init(deadlines: ConfigObjectReader?, incidents: ConfigObjectReader?) {
        let defaults = DeadlineSettings()
        checkSeconds = deadlines?.int("checkSeconds", default: defaults.checkSeconds, in: 1...3_600) ?? defaults.checkSeconds
        dueSoonWorkingHours = deadlines?.int("dueSoonWorkingHours", default: defaults.dueSoonWorkingHours, in: 1...80) ?? defaults.dueSoonWorkingHours
        deadlines?.finish()
        deadTransfersInARow = incidents?.int("deadTransfersInARow", default: defaults.deadTransfersInARow, in: 1...1_000) ?? defaults.deadTransfersInARow
        stalledSeconds = incidents?.int("stalledSeconds", default: defaults.stalledSeconds, in: 10...604_800) ?? defaults.stalledSeconds
        incidents?.finish()
    }
}
