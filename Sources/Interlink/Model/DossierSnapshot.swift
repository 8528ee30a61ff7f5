/// One version of a dossier as read from the register.
public struct DossierSnapshot: Sendable, Hashable {
    /// The register's dossier code, e.g. `H12.22-251120-0001`.
    public var code: String
    /// The register's version, growing with every change.
    public var version: Int
    /// The procedure, which selects the route.
    public var procedureCode: String
    /// When the register last changed it (RFC 3339), its position in the change list.
    public var updatedAt: String
    /// The register's JSON, kept so templates can be rendered after a restart.
    public var payload: JSONValue

    /// A snapshot as the register page parser builds it.
    public init(code: String, version: Int, procedureCode: String, updatedAt: String, payload: JSONValue) {
        self.code = code
        self.version = version
        self.procedureCode = procedureCode
        self.updatedAt = updatedAt
        self.payload = payload
    }

    /// The register's `status` of the dossier (`cancelled` when withdrawn).
    public var status: String? { payload["status"]?.stringValue }
}
