/// Removes personal data and secrets from anything that is about to be logged or shown.
///
/// Masking happens in two layers, because neither alone is enough:
/// - by key: members whose name says what they hold (`fullName`, `personalId`,
///   `dateOfBirth`, `token` …) are replaced whole, whatever their value looks like;
/// - by shape, in every string: runs of 9 or more digits (personal IDs have 9 or 12,
///   phones and insurance numbers 10), calendar dates, `Bearer` credentials, and runs of
///   two or more capitalised words (how Vietnamese names are written, e.g.
///   "Nguyễn Thị Mai"). Shape masking over-masks some ordinary text; that is the safe side.
public enum PersonalDataMasker: Sendable {
    public static let maskedID = "[id]"
    public static let maskedDate = "[date]"
    public static let maskedName = "[name]"
    public static let maskedSecret = "[secret]"
    public static let maskedValue = "[masked]"

    /// Member names whose values are personal data, compared case-insensitively.
    static let personalKeys: Set<String> = [
        "fullname", "name", "holdername", "personalid", "dateofbirth", "birthdate", "phone",
        "address", "residenceaddress", "bankaccount", "socialinsuranceno", "email", "placeofbirth", "hometown",
    ]

    /// Member names whose values are credentials.
    static let secretKeys: Set<String> = [
        "token", "authorization", "apikey", "api-key", "password", "secret", "x-api-key", "cookie", "set-cookie",
    ]

    /// Masks a whole JSON value: by key in objects, by shape in every string.
    public static func mask(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(mask(text))
        case .array(let elements): .array(elements.map(mask))
        case .object(let members):
            .object(members.reduce(into: [:]) { result, member in
                result[member.key] = mask(member.value, forKey: member.key)
            })
        default: value
        }
    }

    /// Masks the value of the member `key`.
    public static func mask(_ value: JSONValue, forKey key: String) -> JSONValue {
        let lowered = key.lowercased()
        if secretKeys.contains(lowered) { return .string(maskedSecret) }
        if personalKeys.contains(lowered) {
            switch value {
            case .null: return .null
            case .object, .array: return mask(value)
            default: return .string(maskedValue)
            }
        }
        return mask(value)
    }

    /// Masks personal data and credentials found by shape in free text.
    public static func mask(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.isUppercase || ("0"..."9").contains($0) })
            || text.contains("bearer") else { return text }
        return maskNames(maskBearer(maskDigitsAndDates(text)))
    }

    private static func maskDigitsAndDates(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        func isDigit(_ position: Int) -> Bool {
            position >= 0 && position < scalars.count && ("0"..."9").contains(scalars[position])
        }
        while index < scalars.count {
            guard isDigit(index), !isDigit(index - 1) else {
                output.append(scalars[index])
                index += 1
                continue
            }
            var end = index
            while isDigit(end) { end += 1 }
            let runLength = end - index
            if runLength == 4, isDate(scalars, at: index), !(index + 10 < scalars.count && (scalars[index + 10] == "T" || scalars[index + 10] == "t")) {
                output.append(contentsOf: maskedDate.unicodeScalars)
                index += 10
            } else if runLength >= 9 {
                output.append(contentsOf: maskedID.unicodeScalars)
                index = end
            } else {
                output.append(contentsOf: scalars[index..<end])
                index = end
            }
        }
        return String(output)
    }

    /// `YYYY-MM-DD` (or with `/`) starting at `start`, not followed by more digits.
    private static func isDate(_ scalars: [Unicode.Scalar], at start: Int) -> Bool {
        guard start + 10 <= scalars.count else { return false }
        let separator = scalars[start + 4]
        guard separator == "-" || separator == "/", scalars[start + 7] == separator else { return false }
        let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digitPositions.allSatisfy({ ("0"..."9").contains(scalars[start + $0]) }) else { return false }
        return !(start + 10 < scalars.count && ("0"..."9").contains(scalars[start + 10]))
    }

    private static func maskBearer(_ text: String) -> String {
        guard text.contains("Bearer ") || text.contains("bearer ") else { return text }
        var output = ""
        var remainder = Substring(text)
        while let range = remainder.firstRange(of: "Bearer ") ?? remainder.firstRange(of: "bearer ") {
            output += remainder[..<range.upperBound] + maskedSecret
            remainder = remainder[range.upperBound...].drop { !$0.isWhitespace && $0 != "\"" && $0 != "," }
        }
        return output + remainder
    }

    /// Replaces runs of two or more capitalised words with ``maskedName``.
    private static func maskNames(_ text: String) -> String {
        var words: [(range: Range<String.Index>, capitalised: Bool)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
            let word = text[start..<index]
            // Parts of identifiers ("Idempotency-Key", "HT_2025") are not names.
            func joins(_ character: Character) -> Bool { character == "-" || character == "_" || character.isNumber }
            let boundaryOK = (index == text.endIndex || !joins(text[index]))
                && (start == text.startIndex || !joins(text[text.index(before: start)]))
            words.append((start..<index, word.first!.isUppercase && boundaryOK))
        }
        var output = ""
        var cursor = text.startIndex
        var position = 0
        while position < words.count {
            var end = position
            while end + 1 < words.count, words[end].capitalised, words[end + 1].capitalised,
                  text[words[end].range.upperBound..<words[end + 1].range.lowerBound] == " " {
                end += 1
            }
            if end > position {
                output += text[cursor..<words[position].range.lowerBound] + maskedName
                cursor = words[end].range.upperBound
                position = end + 1
            } else {
                position += 1
            }
        }
        return output + text[cursor...]
    }
}
