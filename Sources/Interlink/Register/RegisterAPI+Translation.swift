/// Turns a register's own answers into the contract's shapes, so the poller, sweep and
/// recovery read every register alike. Pure.
extension RegisterAPI {
    /// A page of the change list, rewritten as `{"items": [dossier…], "next": {updatedSince, afterCode} | null}`.
    func canonicalPage(_ bytes: [UInt8]) throws(RegisterError) -> [UInt8] {
        let body = try successBody(bytes, what: "a page")
        guard case .array(let entries)? = list.items.resolve(in: body) else {
            throw RegisterError(.malformed, "the register's page has no items array at \(list.items)")
        }
        var next: JSONValue = .null
        if let found = list.next.resolve(in: body), found != .null {
            guard let since = list.nextUpdatedSince.resolve(in: found)?.stringValue, let after = list.nextAfterCode.resolve(in: found)?.scalarText else {
                throw RegisterError(.malformed, "the register's next cursor lacks \(list.nextUpdatedSince) or \(list.nextAfterCode)")
            }
            next = ["updatedSince": .string(since), "afterCode": .string(after)]
        }
        return JSONWriter.bytes(["items": .array(entries.map(canonicalDossier)), "next": next])
    }

    /// The document at `pointer` in a read's answer, as bytes; a dossier is mapped to Interlink's fields.
    func canonicalRead(_ bytes: [UInt8], pointer: JSONPointer, mapsDossier: Bool, what: String) throws(RegisterError) -> [UInt8] {
        if pointer.tokens.isEmpty, success == RegisterAPI.contract.success, !mapsDossier || fields == nil { return bytes }
        guard let found = pointer.resolve(in: try successBody(bytes, what: what)) else {
            throw RegisterError(.malformed, "the register's answer to \(what) has nothing at \(pointer)")
        }
        return JSONWriter.bytes(mapsDossier ? canonicalDossier(found) : found)
    }

    /// One entry in Interlink's shape. What the mapping could not fill is named in
    /// `mappingProblems`, which quarantines the entry with the register's own field names.
    func canonicalDossier(_ entry: JSONValue) -> JSONValue {
        guard let fields else { return entry }
        let (mapped, problems) = fields.preview(dossier: entry, stepResults: [:])
        guard !problems.isEmpty, case .object(var members) = mapped else { return mapped }
        members[RegisterPageParser.mappingProblemsKey] = .array(problems.map { .string($0.description) })
        return .object(members)
    }

    /// The write-back's body: the record as it is, or the configured template over
    /// `{"dossierCode", "record"}`.
    func writeBackBody(_ record: WriteBackRecord) -> Result<[UInt8], TemplateRenderError> {
        guard let template = writeBack.body else { return .success(Array(record.body.utf8)) }
        let document: JSONValue = ["dossierCode": .string(record.dossierCode), "record": (try? JSONParser.parse(Array(record.body.utf8))) ?? .null]
        do {
            return .success(JSONWriter.bytes(try template.render(dossier: document, stepResults: [:])))
        } catch {
            return .failure(error)
        }
    }

    /// Whether a 2xx answer's body says success too; the reason when it does not.
    func failure(in response: HTTPResponse) -> String? {
        success.failure(in: try? response.json()).map { "the register answered an error: \($0.pointer) is \($0.code ?? "missing")" }
    }

    private func successBody(_ bytes: [UInt8], what: String) throws(RegisterError) -> JSONValue {
        let body: JSONValue
        do {
            body = try JSONParser.parse(bytes)
        } catch {
            throw RegisterError(.malformed, "the register's answer to \(what) is not JSON: \(error)")
        }
        if let (pointer, code) = success.failure(in: body) {
            throw RegisterError(.unavailable, "the register answered an error to \(what): \(pointer) is \(code ?? "missing")")
        }
        return body
    }
}
