extension PayloadTemplate {
    /// Reads a template from its JSON form, reporting each problem with its JSON path
    /// under `path` (the template's position in the config file).
    public static func parse(_ json: JSONValue, at path: JSONPointer, issues: inout [ConfigIssue]) -> PayloadTemplate {
        switch json {
        case .string(let text):
            if let reference = parseReference(text, expectedType: nil, at: path, issues: &issues) {
                return .reference(reference)
            }
            // Fail closed: a mistyped pointer would otherwise be sent to an agency as text.
            if !text.hasPrefix("/"), !text.hasPrefix("steps.") {
                issues.append(ConfigIssue(path, looksLikePointer(text)
                    ? "\"\(text)\" looks like a JSON Pointer without its leading /: write \"/\(text)\" to read the dossier, "
                        + "or {\"$const\": \"\(text)\"} to send this text as it is"
                    : "a string is read as a reference only when it starts with / or steps.; write {\"$const\": \"\(text)\"} to send this text as it is"))
            }
            return .literal(json)
        case .array(let elements):
            return .array(elements.enumerated().map { position, element in
                parse(element, at: path.appending(String(position)), issues: &issues)
            })
        case .object(let members):
            if let special = parseDirective(members, at: path, issues: &issues) {
                return special
            }
            return .object(members.keys.sorted().map { rawKey in
                let optional = rawKey.hasSuffix("?") && rawKey.count > 1
                let key = optional ? String(rawKey.dropLast()) : rawKey
                return Member(key: key, optional: optional, value: parse(members[rawKey]!, at: path.appending(rawKey), issues: &issues))
            })
        default:
            return .literal(json)
        }
    }

    private static func parseDirective(_ members: [String: JSONValue], at path: JSONPointer, issues: inout [ConfigIssue]) -> PayloadTemplate? {
        for directive in ["$const", "$literal"] {
            guard let literal = members[directive] else { continue }
            if members.count != 1 { issues.append(ConfigIssue(path, "\"\(directive)\" must be the only member of its object")) }
            return .literal(literal)
        }
        if let transform = parseTransform(members, at: path, issues: &issues) { return transform }
        guard let from = members["$from"] else { return nil }
        let unknown = Set(members.keys).subtracting(["$from", "type"])
        for key in unknown.sorted() {
            issues.append(ConfigIssue(path.appending(key), "unknown member of a \"$from\" reference (allowed: $from, type)"))
        }
        var expectedType: ExpectedType?
        if let typeValue = members["type"] {
            if let name = typeValue.stringValue, let parsed = ExpectedType(rawValue: name) {
                expectedType = parsed
            } else {
                let allowed = ExpectedType.allCases.map(\.rawValue).joined(separator: ", ")
                issues.append(ConfigIssue(path.appending("type"), "must be one of: \(allowed)"))
            }
        }
        guard let text = from.stringValue else {
            issues.append(ConfigIssue(path.appending("$from"), "expected string, found \(from.typeName)"))
            return .literal(.null)
        }
        guard let reference = parseReference(text, expectedType: expectedType, at: path.appending("$from"), issues: &issues) else {
            issues.append(ConfigIssue(path.appending("$from"), "must be a JSON Pointer (/...) or steps.<step>.result/..."))
            return .literal(.null)
        }
        return .reference(reference)
    }

    /// `nil` when the text is a plain literal string rather than a reference.
    private static func parseReference(_ text: String, expectedType: ExpectedType?, at path: JSONPointer, issues: inout [ConfigIssue]) -> Reference? {
        if text.hasPrefix("/") {
            do {
                return Reference(source: .dossier, pointer: try JSONPointer(text), expectedType: expectedType)
            } catch {
                issues.append(ConfigIssue(path, error.description))
                return nil
            }
        }
        guard text.hasPrefix("steps.") else { return nil }
        let rest = text.dropFirst("steps.".count)
        guard let dot = rest.firstIndex(of: "."), rest[rest.index(after: dot)...].hasPrefix("result") else {
            issues.append(ConfigIssue(path, "a step reference must read steps.<step>.result/<pointer>"))
            return nil
        }
        let step = String(rest[..<dot])
        let pointerText = String(rest[rest.index(after: dot)...].dropFirst("result".count))
        do {
            return Reference(source: .stepResult(step), pointer: try JSONPointer(pointerText), expectedType: expectedType)
        } catch {
            issues.append(ConfigIssue(path, error.description))
            return nil
        }
    }

    /// `form/child/fullName`, `applicant/personalId`: words joined by slashes, as a pointer
    /// reads once its leading slash is lost.
    static func looksLikePointer(_ text: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count > 1 && segments.allSatisfy { segment in
            !segment.isEmpty && segment.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "~" }
        }
    }
}
