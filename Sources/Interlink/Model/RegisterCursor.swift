/// The position reached in the register's change list: strictly after `(updatedSince, afterCode)`.
public struct RegisterCursor: Sendable, Hashable, CustomStringConvertible {
    public var updatedSince: String
    public var afterCode: String

    public init(updatedSince: String, afterCode: String) {
        self.updatedSince = updatedSince
        self.afterCode = afterCode
    }

    public var description: String { "\(updatedSince) after \(afterCode)" }
}

/// One version of a dossier as read from the register.
public struct DossierSnapshot: Sendable, Hashable {
    public var code: String
    public var version: Int
    public var procedureCode: String
    public var updatedAt: String
    /// The register's JSON, kept so templates can be rendered after a restart.
    public var payload: JSONValue

    public init(code: String, version: Int, procedureCode: String, updatedAt: String, payload: JSONValue) {
        self.code = code
        self.version = version
        self.procedureCode = procedureCode
        self.updatedAt = updatedAt
        self.payload = payload
    }
}

/// A journaled dossier version with its current outcome.
public struct DossierRecord: Sendable, Hashable {
    public var snapshot: DossierSnapshot
    public var outcome: DossierOutcome
    /// Why the outcome is what it is: agency reasons, discrepancies, quarantine causes.
    public var reasons: JSONValue?
    public var seenAt: Timestamp
    public var flags: DossierFlags
    /// Whether the dossier's transfers were planned.
    public var planned: Bool
    /// Transfer changes not yet reconciled into the outcome.
    public var pendingChanges: Int
}
