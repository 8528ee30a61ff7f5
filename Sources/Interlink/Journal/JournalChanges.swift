/// One version of one dossier.
public struct DossierKey: Sendable, Hashable {
    /// The register's dossier code.
    public var code: String
    /// The register's version of it.
    public var version: Int

    /// The version `version` of dossier `code`.
    public init(code: String, version: Int) {
        self.code = code
        self.version = version
    }
}

/// A dossier version's new outcome.
public struct OutcomeChange: Sendable, Hashable {
    /// The dossier whose outcome changes.
    public var dossierCode: String
    /// The version the outcome is about.
    public var dossierVersion: Int
    /// The new outcome.
    public var outcome: DossierOutcome
    /// Why, as ``DossierAssessment/reasonsJSON`` gives it.
    public var reasons: JSONValue?

    /// A new outcome (and its reasons) for one dossier version.
    public init(dossierCode: String, dossierVersion: Int, outcome: DossierOutcome, reasons: JSONValue? = nil) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.outcome = outcome
        self.reasons = reasons
    }
}

/// Takes back the changes a reconciliation has seen; changes recorded since stay pending.
public struct ReconciledMark: Sendable, Hashable {
    /// The version that was reconciled; older versions are settled with it.
    public var key: DossierKey
    /// How many recorded changes the reconciliation saw.
    public var changesSeen: Int

    /// Marks `changesSeen` changes of `key` as reconciled.
    public init(key: DossierKey, changesSeen: Int) {
        self.key = key
        self.changesSeen = changesSeen
    }
}

/// A dossier version's new flags.
public struct FlagsChange: Sendable, Hashable {
    /// The dossier whose flags change.
    public var dossierCode: String
    /// The version they belong to.
    public var dossierVersion: Int
    /// The flags, replacing the old ones whole.
    public var flags: DossierFlags

    /// Replaces the flags of one dossier version.
    public init(dossierCode: String, dossierVersion: Int, flags: DossierFlags) {
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.flags = flags
    }
}
