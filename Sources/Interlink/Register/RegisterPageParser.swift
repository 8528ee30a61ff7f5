/// Reads register pages and dossiers, isolating each malformed entry.
public enum RegisterPageParser: Sendable {
    /// The most a single dossier may weigh; a larger one is quarantined, not parsed.
    public static let maxDossierBytes = 512 * 1024

    /// Parses a page. `isKnown(code, version)` lets the caller skip entries it has stored already
    /// (the look-back window re-reads them every poll) after reading only their top-level keys.
    public static func parsePage(_ bytes: [UInt8], isKnown: (String, Int) -> Bool = { _, _ in false }) throws(RegisterError) -> RegisterPage {
        let scanner = JSONScanner(bytes)
        let start = scanner.skipWhitespace(0)
        guard let members = scanner.objectMembers(start) else {
            throw RegisterError(.malformed, "the register answered a page that is not a JSON object")
        }
        guard let itemsMember = members.first(where: { $0.key == "items" }) else {
            throw RegisterError(.malformed, "the register's page has no items array")
        }
        var items: [RegisterItem] = []
        var lastPosition: RegisterCursor?
        var skipped = 0
        // One pass over the items: an entry's top-level members give its extent as well.
        let itemsEnd = scanner.forEachElement(itemsMember.value.lowerBound) { start in
            let object = scanner.object(start)
            guard let end = object?.end ?? scanner.endOfValue(start) else { return nil }
            let header = topLevel(scanner, object?.members ?? [])
            if let updatedAt = header.updatedAt, Timestamp(rfc3339: updatedAt) != nil {
                lastPosition = RegisterCursor(updatedSince: updatedAt, afterCode: header.code ?? "")
            }
            if let code = header.code, let version = header.version, isKnown(code, version) {
                skipped += 1
                return end
            }
            let parsed = item(Array(bytes[start..<end]))
            if case .dossier(let snapshot) = parsed { lastPosition = RegisterCursor(updatedSince: snapshot.updatedAt, afterCode: snapshot.code) }
            items.append(parsed)
            return end
        }
        guard itemsEnd != nil else { throw RegisterError(.malformed, "the register's page has no items array") }
        var next: RegisterCursor?
        if let nextRange = members.first(where: { $0.key == "next" })?.value {
            guard let value = try? JSONParser.parse(bytes[nextRange]) else { throw RegisterError(.malformed, "the register's next cursor is not JSON") }
            if value != .null {
                guard let since = value["updatedSince"]?.stringValue, Timestamp(rfc3339: since) != nil,
                      let after = value["afterCode"]?.stringValue else {
                    throw RegisterError(.malformed, "the register's next cursor lacks updatedSince or afterCode")
                }
                next = RegisterCursor(updatedSince: since, afterCode: after)
            }
        }
        return RegisterPage(items: items, next: next, lastPosition: lastPosition, skipped: skipped)
    }

    /// An entry's top-level `code`, `version` and `updatedAt`, read without parsing the rest.
    private static func topLevel(_ scanner: JSONScanner, _ members: [(key: String, value: Range<Int>)]) -> (code: String?, version: Int?, updatedAt: String?) {
        func range(_ key: String) -> Range<Int>? { members.first { $0.key == key }?.value }
        let version = range("version").flatMap { try? JSONParser.parse(scanner.bytes[$0]) }?.intValue
        return (range("code").flatMap(scanner.string), version, range("updatedAt").flatMap(scanner.string))
    }

    /// The member a mapped entry carries when `register.api.fields` could not fill it.
    static let mappingProblemsKey = "$mappingProblems"

    /// Reads one dossier; never throws, because a bad dossier is quarantined, not retried.
    public static func item(_ bytes: [UInt8]) -> RegisterItem {
        guard bytes.count <= maxDossierBytes else {
            return .malformed(code: peekString("code", in: bytes), updatedAt: peekString("updatedAt", in: bytes),
                              reason: "dossier of \(bytes.count) bytes exceeds the \(maxDossierBytes)-byte limit")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            return .malformed(code: peekString("code", in: bytes), updatedAt: peekString("updatedAt", in: bytes), reason: error.description)
        }
        var problems: [String] = []
        if let unmapped = json[mappingProblemsKey]?.arrayValue {
            problems.append("the register's entry does not fit register.api.fields: " + unmapped.compactMap(\.stringValue).joined(separator: "; "))
        }
        let code = json["code"]?.stringValue
        if code == nil || code!.isEmpty || code!.utf8.count > 64 || code!.contains(where: { $0.isNewline || $0 == "/" }) {
            problems.append("/code: expected a dossier code of 1 to 64 characters without '/' or line breaks")
        }
        let version = json["version"]?.intValue
        if version == nil || version! < 1 { problems.append("/version: expected an integer ≥ 1") }
        let procedure = json["procedureCode"]?.stringValue
        if procedure == nil || procedure!.isEmpty { problems.append("/procedureCode: expected a string") }
        let updatedAt = json["updatedAt"]?.stringValue
        if updatedAt.flatMap(Timestamp.init(rfc3339:)) == nil { problems.append("/updatedAt: expected an RFC 3339 timestamp") }
        if json["form"]?.objectValue == nil { problems.append("/form: expected an object") }
        guard problems.isEmpty, let code, let version, let procedure, let updatedAt else {
            return .malformed(code: code ?? peekString("code", in: bytes), updatedAt: updatedAt, reason: problems.joined(separator: "; "))
        }
        return .dossier(DossierSnapshot(code: code, version: version, procedureCode: procedure, updatedAt: updatedAt, payload: json))
    }

    /// Best effort: the first `"name":"value"` string in bytes that do not parse, for naming the entry.
    static func peekString(_ name: String, in bytes: [UInt8]) -> String? {
        let needle = Array("\"\(name)\"".utf8)
        guard bytes.count >= needle.count else { return nil }
        var index = 0
        while index + needle.count <= bytes.count {
            if Array(bytes[index..<index + needle.count]) == needle {
                let scanner = JSONScanner(bytes)
                var cursor = scanner.skipWhitespace(index + needle.count)
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { return nil }
                cursor = scanner.skipWhitespace(cursor + 1)
                guard let end = scanner.endOfValue(cursor), bytes[cursor] == UInt8(ascii: "\"") else { return nil }
                let text = String(decoding: bytes[(cursor + 1)..<max(cursor + 1, end - 1)], as: UTF8.self)
                return String(text.prefix(64).filter { !$0.isNewline })
            }
            index += 1
        }
        return nil
    }
}
