/// Facts about a dossier that its transfers do not show: set by the planner and by people (`review resolve`).
public struct DossierFlags: Sendable, Hashable {
    /// A newer version arrived after these steps had reached an agency.
    public var changedAfterSteps: [String] = []
    /// Set by `interlinkctl review resolve`: which side a discrepancy was settled for.
    public var reviewResolution: String?
    /// Why the dossier was quarantined before any push.
    public var quarantineReasons: [String] = []
    /// The register withdrew the dossier.
    public var cancelled = false
    /// For each step in ``changedAfterSteps`` whose old request could be rendered again: how
    /// its request would now differ (`{"pointer", "before", "after"}`, masked).
    public var requestChanges: [String: [JSONValue]] = [:]

    /// Flags with nothing set: no changes, no resolution, no quarantine, not cancelled.
    public init() {}

    /// The flags as the journal stores them: a JSON object that leaves out every unset flag.
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if !changedAfterSteps.isEmpty { members["changedAfterSteps"] = .array(changedAfterSteps.map(JSONValue.string)) }
        if let reviewResolution { members["reviewResolution"] = .string(reviewResolution) }
        if !quarantineReasons.isEmpty { members["quarantineReasons"] = .array(quarantineReasons.map(JSONValue.string)) }
        if cancelled { members["cancelled"] = true }
        if !requestChanges.isEmpty { members["requestChanges"] = .object(requestChanges.mapValues(JSONValue.array)) }
        return .object(members)
    }

    /// Reads flags stored by ``json``; missing or malformed members fall back to unset, and `nil` gives empty flags.
    public init(json: JSONValue?) {
        changedAfterSteps = json?["changedAfterSteps"]?.arrayValue?.compactMap(\.stringValue) ?? []
        reviewResolution = json?["reviewResolution"]?.stringValue
        quarantineReasons = json?["quarantineReasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
        cancelled = json?["cancelled"]?.boolValue ?? false
        requestChanges = json?["requestChanges"]?.objectValue?.compactMapValues(\.arrayValue) ?? [:]
    }
}
