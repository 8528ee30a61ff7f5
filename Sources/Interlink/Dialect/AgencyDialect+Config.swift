extension AgencyDialect {
    /// This dialect with the members `object` sets replaced (an agency's `dialect` over the
    /// contract, a step's over its agency's). Each mistake is reported at its JSON path.
    func overridden(by object: ConfigObjectReader?) -> AgencyDialect {
        guard let object else { return self }
        defer { object.finish() }
        var dialect = self
        if let method = object.optionalString("method") {
            if ["POST", "PUT"].contains(method) { dialect.method = method } else { object.report("method", "must be POST or PUT") }
        }
        if let headers = object.stringMap("headers") {
            dialect.headers = headers
            for (name, value) in headers {
                if !Self.isHeaderName(name) { object.reportIssue(ConfigIssue(object.path.appending("headers").appending(name), "not a valid HTTP header name")) }
                if value.contains(where: \.isNewline) {
                    object.reportIssue(ConfigIssue(object.path.appending("headers").appending(name), "a header value must not hold line breaks"))
                }
            }
        }
        if let header = object.optionalString("idempotencyKeyHeader") {
            if Self.isHeaderName(header) { dialect.keyHeader = header } else { object.report("idempotencyKeyHeader", "not a valid HTTP header name") }
        }
        if let success = object.object("success") { dialect.success = SuccessRule(reading: success) }
        if object.has("decision") {
            dialect.decision = object.object("decision").flatMap(DecisionRule.init(reading:))
            _ = object.value("decision")
        }
        for (key, path) in [("receipt", \AgencyDialect.receipt), ("reasons", \.reasons)] {
            if let pointer = Self.pointer(object, key) { dialect[keyPath: path] = pointer }
        }
        if let result = object.value("result"), result != .null {
            if case .string = result {
                if let pointer = Self.pointer(object, "result") { dialect.result = .pointer(pointer) }
            } else {
                var issues: [ConfigIssue] = []
                dialect.result = PayloadTemplate.parse(result, at: object.path.appending("result"), issues: &issues)
                if !dialect.result.referencedSteps.isEmpty { issues.append(ConfigIssue(object.path.appending("result"), "a result reads the answer (/pointers), not steps.…")) }
                for issue in issues { object.reportIssue(issue) }
            }
        }
        if let message = Self.pointer(object, "errorMessage") { dialect.errorMessage = message }
        if let poll = object.object("receiptPoll") { dialect.receiptPoll = Call(reading: poll, fallback: receiptPoll) }
        if let cancel = object.object("cancel") { dialect.cancel = Call(reading: cancel, fallback: self.cancel) }
        return dialect
    }

    /// A JSON Pointer member, reported at its path when it is not one.
    static func pointer(_ object: ConfigObjectReader, _ key: String) -> JSONPointer? {
        guard let text = object.optionalString(key) else { return nil }
        do {
            return try JSONPointer(text)
        } catch {
            object.report(key, error.description)
            return nil
        }
    }

    /// A path template member, reported at its path when it cannot be one.
    static func path(_ object: ConfigObjectReader, _ key: String, allowedNames: Set<String>) -> PathTemplate? {
        guard let text = object.optionalString(key) else { return nil }
        do {
            let template = try PathTemplate(text)
            if let unknown = template.names.subtracting(allowedNames).sorted().first {
                object.report(key, "{\(unknown)} is not known here; use " + (allowedNames.isEmpty ? "{/pointer}" : allowedNames.sorted().map { "{\($0)}" }.joined(separator: ", ")))
            }
            return template
        } catch {
            object.report(key, error.description)
            return nil
        }
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }
    }
}

extension AgencyDialect.SuccessRule {
    /// Where and what the body says when it breaks the rule (`code` nil: the value is missing);
    /// nil when it keeps it, or there is no body rule. One reading for agencies, the register and the portal.
    func failure(in body: JSONValue?) -> (pointer: JSONPointer, code: String?)? {
        guard let pointer else { return nil }
        let code = body.flatMap { pointer.resolve(in: $0)?.scalarText }
        return code.map(values.contains) == true ? nil : (pointer, code)
    }

    init(reading object: ConfigObjectReader) {
        defer { object.finish() }
        statuses = Set(object.array("status").compactMap { element -> Int? in
            guard let status = element.value.intValue, (200...299).contains(status) else {
                object.report("status", "list 2xx statuses, e.g. [200]")
                return nil
            }
            return status
        })
        pointer = AgencyDialect.pointer(object, "pointer")
        values = Self.texts(object, "values")
        retryable = Self.texts(object, "retryable")
        if pointer != nil, values.isEmpty { object.report("values", "list the values that mean success, e.g. [\"0\", \"00\"]") }
        if pointer == nil, !values.isEmpty { object.report("pointer", "say where the values are, e.g. /error_code") }
    }

    /// A list of strings, numbers or booleans, each kept as its text.
    static func texts(_ object: ConfigObjectReader, _ key: String) -> Set<String> {
        Set(object.array(key).compactMap { element -> String? in
            guard let text = element.value.scalarText else {
                object.report(key, "list strings or numbers")
                return nil
            }
            return text
        })
    }
}

extension AgencyDialect.DecisionRule {
    init?(reading object: ConfigObjectReader) {
        defer { object.finish() }
        let pointer = AgencyDialect.pointer(object, "pointer")
        if !object.has("pointer") { object.report("pointer", "required field is missing") }
        var vocabulary: [String: AgencyDialect.Meaning] = [:]
        if let words = object.stringMap("vocabulary") {
            for (word, meaning) in words {
                guard let parsed = AgencyDialect.Meaning(rawValue: meaning) else {
                    object.reportIssue(ConfigIssue(object.path.appending("vocabulary").appending(word),
                                                   "must be one of: " + AgencyDialect.Meaning.allCases.map(\.rawValue).joined(separator: ", ")))
                    continue
                }
                vocabulary[word] = parsed
            }
        } else {
            vocabulary = AgencyDialect.contract.decision!.vocabulary
        }
        guard let pointer else { return nil }
        self.init(pointer: pointer, vocabulary: vocabulary)
    }
}

extension AgencyDialect.Call {
    init(reading object: ConfigObjectReader, fallback: AgencyDialect.Call) {
        defer { object.finish() }
        self = fallback
        if let method = object.optionalString("method") {
            if ["GET", "POST", "PUT", "DELETE"].contains(method) { self.method = method } else { object.report("method", "must be GET, POST, PUT or DELETE") }
        }
        if let path = AgencyDialect.path(object, "path", allowedNames: ["receipt"]) { self.path = path }
        if object.has("body") { body = object.value("body") }
        if method == "GET" { body = nil }
    }
}
