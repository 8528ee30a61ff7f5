/// Progress reports to the national public-service portal (`progressReports`): a second
/// write-back target. The portal first gets the dossier (DongBoHoSoMC), then, only once it
/// acknowledged that, the dossier's progress (CapNhatTienDoHoSoMC) as a status code 1–10.
public struct ProgressReportConfig: Sendable, Hashable {
    /// The portal's endpoint: base URL, auth (its session login), TLS, timeouts, limits.
    public var endpoint: EndpointConfig
    /// How failed reports are retried.
    public var retry: RetryPolicyConfig
    /// What a successful answer is (`error_code` 0 or "00" inside HTTP 200).
    public var success: AgencyDialect.SuccessRule
    /// Interlink's outcome (as the register names it) → the portal's status code 1–10.
    public var statusCodes: [String: Int]
    /// The dossier sync.
    public var dossier: Call
    /// The progress report.
    public var progress: Call

    /// One of the portal's calls. Its body is a template over `{dossierCode, dossierVersion,
    /// outcome, status, dossier, record}`: the status code, the dossier as the register gave it,
    /// and the interconnection record the register gets.
    public struct Call: Sendable, Hashable {
        /// `POST` or `PUT`.
        public var method: String
        /// With `{code}`.
        public var path: PathTemplate
        /// The header carrying the idempotency key.
        public var keyHeader: String
        /// Builds the body; rendered when the report is queued, and stored.
        public var body: PayloadTemplate
    }

    /// The outcomes a status code must be given for: every one the register is told.
    static let outcomes = ["in-progress", "completed", "supplement-requested", "needs-review", "failed"]
}

extension ProgressReportConfig {
    init?(reading object: ConfigObjectReader, secrets: SecretResolver, collector: IssueCollector) {
        defer { object.finish() }
        let endpoint = EndpointConfig(reading: object, secrets: secrets, collector: collector)
        let retry = RetryPolicyConfig(reading: object.object("retry"))
        let success = object.object("success").map(AgencyDialect.SuccessRule.init(reading:)) ?? AgencyDialect.contract.success
        var codes: [String: Int] = [:]
        if let table = object.requiredObject("statusCodes") {
            for outcome in Self.outcomes {
                let code = table.int(outcome, default: 0, in: 0...10)
                if code == 0 { table.report(outcome, "give the portal's status code (1–10) for outcome \(outcome)") } else { codes[outcome] = code }
            }
            table.finish()
        }
        let dossier = object.requiredObject("dossier").flatMap { Self.call($0, collector: collector) }
        let progress = object.requiredObject("progress").flatMap { Self.call($0, collector: collector) }
        guard let endpoint, let dossier, let progress else { return nil }
        self.init(endpoint: endpoint, retry: retry, success: success, statusCodes: codes, dossier: dossier, progress: progress)
    }

    private static func call(_ object: ConfigObjectReader, collector: IssueCollector) -> Call? {
        defer { object.finish() }
        let method = object.optionalString("method") ?? "POST"
        if !["POST", "PUT"].contains(method) { object.report("method", "must be POST or PUT") }
        let path = AgencyDialect.path(object, "path", allowedNames: ["code"])
        if !object.has("path") { object.report("path", "required field is missing") }
        let header = object.optionalString("idempotencyKeyHeader") ?? "Idempotency-Key"
        if !AgencyDialect.isHeaderName(header) { object.report("idempotencyKeyHeader", "not a valid HTTP header name") }
        guard let json = object.value("body") else {
            object.report("body", "required field is missing")
            return nil
        }
        var issues: [ConfigIssue] = []
        let body = PayloadTemplate.parse(json, at: object.path.appending("body"), issues: &issues)
        collector.add(contentsOf: issues)
        if !body.referencedSteps.isEmpty { collector.add(object.path.appending("body"), "reads steps.…; a report reads /dossier, /record, /status and the like") }
        guard let path else { return nil }
        return Call(method: method, path: path, keyHeader: header, body: body)
    }
}
