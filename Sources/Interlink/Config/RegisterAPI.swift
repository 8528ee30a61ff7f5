/// How the one-stop register's API is shaped: the change list's parameters, cursor and items,
/// where a dossier's fields are, and the write-back call. Configured under `register.api`;
/// ``contract`` is CONTRACTS.md, so a config without it speaks that unchanged.
public struct RegisterAPI: Sendable, Hashable {
    /// A success beyond a 2xx status: an `error_code` inside the body, when the register sends one.
    public var success: AgencyDialect.SuccessRule
    /// The change list: `GET path?updatedSince=…&afterCode=…&limit=…` under the register's names.
    public var list: ListCall
    /// One dossier's current version: the path (with `{code}`) and where the dossier is in the answer.
    public var dossier: Read
    /// The interconnection record a daemon wrote back: path and where the record is (in the
    /// record reads' answers and in the write-back's, which carries the record as stored).
    public var record: Read
    /// Builds Interlink's dossier (code, version, procedureCode, updatedAt, form, …) from one
    /// of the register's entries; `nil` when the entries are already in that shape.
    public var fields: PayloadTemplate?
    /// The write-back: method, path, body and key header.
    public var writeBack: WriteBackCall

    /// The change list's names.
    public struct ListCall: Sendable, Hashable {
        /// The change list's path.
        public var path: String
        /// The name of the position's timestamp parameter.
        public var updatedSinceParameter: String
        /// The name of the position's code parameter.
        public var afterCodeParameter: String
        /// The name of the page-size parameter.
        public var limitParameter: String
        /// Where the entries are.
        public var items: JSONPointer
        /// Where the next page's position is (null or absent on the last page).
        public var next: JSONPointer
        /// Within `next`, the position's timestamp and code.
        public var nextUpdatedSince: JSONPointer
        /// Within `next`, the code of the position.
        public var nextAfterCode: JSONPointer
    }

    /// A read of one thing about one dossier.
    public struct Read: Sendable, Hashable {
        /// With `{code}`.
        public var path: PathTemplate
        /// Where the thing is in the answer (empty: the whole body).
        public var pointer: JSONPointer
    }

    /// The write-back call.
    public struct WriteBackCall: Sendable, Hashable {
        /// `PUT` or `POST`.
        public var method: String
        /// With `{code}`.
        public var path: PathTemplate
        /// Builds the body from `{"dossierCode": …, "record": <the interconnection record>}`;
        /// `nil` sends the record as it is.
        public var body: PayloadTemplate?
        /// The header carrying the idempotency key.
        public var keyHeader: String
    }

    /// CONTRACTS.md's register.
    public static let contract = RegisterAPI(
        success: AgencyDialect.contract.success,
        list: ListCall(path: "/dossiers", updatedSinceParameter: "updatedSince", afterCodeParameter: "afterCode", limitParameter: "limit",
                       items: JSONPointer(tokens: ["items"]), next: JSONPointer(tokens: ["next"]),
                       nextUpdatedSince: JSONPointer(tokens: ["updatedSince"]), nextAfterCode: JSONPointer(tokens: ["afterCode"])),
        dossier: Read(path: try! PathTemplate("/dossiers/{code}"), pointer: JSONPointer(tokens: [])),
        record: Read(path: try! PathTemplate("/dossiers/{code}/interconnection"), pointer: JSONPointer(tokens: [])),
        fields: nil,
        writeBack: WriteBackCall(method: "PUT", path: try! PathTemplate("/dossiers/{code}/interconnection"), body: nil, keyHeader: "Idempotency-Key"))

    /// Whether pages come in the contract's shape, so the fast page scanner reads them as they are.
    var pagesAreContract: Bool {
        success == RegisterAPI.contract.success && list.items == RegisterAPI.contract.list.items && list.next == RegisterAPI.contract.list.next
            && list.nextUpdatedSince == RegisterAPI.contract.list.nextUpdatedSince && list.nextAfterCode == RegisterAPI.contract.list.nextAfterCode
            && fields == nil
    }
}

extension RegisterAPI {
    init(reading object: ConfigObjectReader?, collector: IssueCollector) {
        self = .contract
        guard let object else { return }
        defer { object.finish() }
        if let success = object.object("success") { self.success = AgencyDialect.SuccessRule(reading: success) }
        if let list = object.object("list") {
            defer { list.finish() }
            if let path = AgencyDialect.path(list, "path", allowedNames: []) { self.list.path = path.description }
            for (key, field) in [("updatedSince", \ListCall.updatedSinceParameter), ("afterCode", \.afterCodeParameter), ("limit", \.limitParameter)] {
                if let name = list.optionalString(key) { self.list[keyPath: field] = name }
            }
            for (key, field) in [("items", \ListCall.items), ("next", \.next), ("nextUpdatedSince", \.nextUpdatedSince), ("nextAfterCode", \.nextAfterCode)] {
                if let pointer = AgencyDialect.pointer(list, key) { self.list[keyPath: field] = pointer }
            }
        }
        for (key, field) in [("dossier", \RegisterAPI.dossier), ("record", \.record)] {
            guard let read = object.object(key) else { continue }
            if let path = AgencyDialect.path(read, "path", allowedNames: ["code"]) { self[keyPath: field].path = path }
            if let pointer = AgencyDialect.pointer(read, "pointer") { self[keyPath: field].pointer = pointer }
            read.finish()
        }
        if let fields = object.value("fields"), fields != .null { self.fields = Self.template(fields, at: object.path.appending("fields"), collector: collector) }
        if let call = object.object("writeBack") {
            defer { call.finish() }
            if let method = call.optionalString("method") {
                if ["POST", "PUT"].contains(method) { writeBack.method = method } else { call.report("method", "must be POST or PUT") }
            }
            if let path = AgencyDialect.path(call, "path", allowedNames: ["code"]) { writeBack.path = path }
            if let body = call.value("body"), body != .null { writeBack.body = Self.template(body, at: call.path.appending("body"), collector: collector) }
            if let header = call.optionalString("idempotencyKeyHeader") {
                if AgencyDialect.isHeaderName(header) { writeBack.keyHeader = header } else { call.report("idempotencyKeyHeader", "not a valid HTTP header name") }
            }
        }
    }

    /// A template over one register document: it reads that document, never a step's result.
    private static func template(_ json: JSONValue, at path: JSONPointer, collector: IssueCollector) -> PayloadTemplate {
        var issues: [ConfigIssue] = []
        let template = PayloadTemplate.parse(json, at: path, issues: &issues)
        collector.add(contentsOf: issues)
        if !template.referencedSteps.isEmpty { collector.add(path, "reads steps.…result, which a register mapping does not have; use /pointers into the register's document") }
        return template
    }
}
