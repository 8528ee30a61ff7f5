import Interlink

/// Reads the fields an agency requires from a request body, collecting a contract-style
/// problem (`{"pointer":…,"message":…}`) for each one missing or ill-typed.
struct FieldCheck {
    let body: JSONValue
    private(set) var problems: [JSONValue] = []

    init(body: JSONValue) {
        self.body = body
    }

    private mutating func value(_ pointer: String) -> JSONValue? {
        guard let found = (try? JSONPointer(pointer))?.resolve(in: body), found != .null else {
            problems.append(AgencyRules.reason(pointer, "required", "required field is missing"))
            return nil
        }
        return found
    }

    private mutating func wrongType(_ pointer: String, _ expected: String) {
        problems.append(AgencyRules.reason(pointer, "invalid", "expected \(expected)"))
    }

    mutating func string(_ pointer: String) -> String? {
        guard let found = value(pointer) else { return nil }
        guard let text = found.stringValue, text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            wrongType(pointer, "a non-empty string")
            return nil
        }
        return text
    }

    mutating func number(_ pointer: String) -> Double? {
        guard let found = value(pointer) else { return nil }
        guard let number = found.numberValue, number > 0 else {
            wrongType(pointer, "a positive number")
            return nil
        }
        return number
    }

    mutating func date(_ pointer: String) -> CalendarDate? {
        guard let text = string(pointer) else { return nil }
        guard let date = CalendarDate(text) else {
            wrongType(pointer, "a date YYYY-MM-DD")
            return nil
        }
        return date
    }

    mutating func personalID(_ pointer: String) -> String? {
        guard let text = string(pointer) else { return nil }
        guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            wrongType(pointer, "a 12-digit personal ID")
            return nil
        }
        return text
    }
}
