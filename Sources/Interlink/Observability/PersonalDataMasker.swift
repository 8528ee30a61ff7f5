import Synchronization

/// Removes personal data and secrets from anything that is about to be logged or shown.
///
/// Masking happens in two layers, because neither alone is enough:
/// - by key: members whose name says what they hold (`fullName`, `personalId`,
///   `dateOfBirth`, `token` …) are replaced whole, whatever their value looks like;
/// - by shape, in every string: runs of 9 or more digits (personal IDs have 9 or 12,
///   phones and insurance numbers 10), and such numbers in JSON; calendar dates in either
///   order (`2019-03-15`, `15/03/2019`) and midnight date-times; `Bearer`/`Basic`
///   credentials; and runs of two or more capitalised words (how Vietnamese names are written,
///   e.g. "Nguyễn Thị Mai"). Shape masking over-masks some ordinary text; that is the safe side.
///   It cannot recognise a lone given name or a name written in lower case.
public enum PersonalDataMasker: Sendable {
    /// Replaces a run of 9 or more digits (a personal ID, phone or insurance number), in text or as a JSON number.
    public static let maskedID = "[id]"
    /// Replaces a calendar date or a midnight date-time.
    public static let maskedDate = "[date]"
    /// Replaces a run of two or more capitalised words.
    public static let maskedName = "[name]"
    /// Replaces a credential: a secret-named member's value, or what follows `Bearer`/`Basic`.
    public static let maskedSecret = "[secret]"
    /// Replaces the scalar value of a member named as personal data (`fullName`, `phone` …).
    public static let maskedValue = "[masked]"

    /// Member names whose values are personal data, compared case-insensitively: names, ID
    /// numbers, dates of birth, addresses, phones, bank accounts, social-insurance numbers,
    /// marital status, and the sensitive categories of Decree 13 (ethnicity, religion, health),
    /// in the contract's words and the national portal's.
    public static let defaultPersonalKeys: Set<String> = [
        "fullname", "name", "holdername", "personalid", "dateofbirth", "birthdate", "phone",
        "address", "residenceaddress", "bankaccount", "socialinsuranceno", "email", "placeofbirth", "hometown",
        "maritalstatus", "ethnicity", "religion", "health", "healthstatus", "diagnosis", "disability", "householdhead",
        "citizenid", "idnumber", "passportno", "cardno",
        "hoten", "sodinhdanh", "ngaysinh", "diachi", "dienthoai", "sotaikhoan", "sobhxh", "dantoc", "tongiao", "tinhtranghonnhan",
    ]

    /// What a member's name says of its value.
    enum KeyKind { case secret, personal, other }

    /// The personal member names (the defaults and what the configuration's `privacy` adds, in
    /// lower case), and what each name met so far is: the same few dozen names recur in every
    /// answer, and working a name out lowers it and searches it for every secret part.
    private struct Keys: ~Copyable {
        var personal: Set<String>
        var kinds: [String: KeyKind] = [:]
    }

    private static let configuredKeys = Mutex(Keys(personal: defaultPersonalKeys))

    /// Adds the configuration's personal and sensitive fields to the defaults, for every
    /// mask from now on in this process (a reload replaces the previous additions).
    public static func configure(personalFields: Set<String>) {
        configuredKeys.withLock { $0 = Keys(personal: defaultPersonalKeys.union(personalFields.map { $0.lowercased() })) }
    }

    static func kind(ofKey key: String) -> KeyKind {
        if let known = configuredKeys.withLock({ $0.kinds[key] }) { return known }
        let lowered = key.lowercased()
        let bytes = Array(lowered.utf8)
        return configuredKeys.withLock { keys in
            let kind: KeyKind = secretKeyParts.contains(where: { bytes.contains(subsequence: $0) }) ? .secret
                : keys.personal.contains(lowered) ? .personal : .other
            // Bounded: names come from other systems' answers, and a hostile one could send endless new ones.
            if keys.kinds.count < 4_096 { keys.kinds[key] = kind }
            return kind
        }
    }

    /// Parts of member names whose values are credentials (`accessToken`, `client_secret`, `x-api-key` …).
    static let secretKeyParts = ["token", "authorization", "apikey", "api-key", "api_key", "password", "secret", "cookie", "credential"]
        .map { Array($0.utf8) }

    /// Masks a whole JSON value: by key in objects, by shape in every string.
    public static func mask(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(mask(text))
        // A personal ID sent as a JSON number.
        case .number(let number) where abs(number) >= 100_000_000 && number.rounded() == number: .string(maskedID)
        case .array(let elements): .array(elements.map(mask))
        case .object(let members):
            // Replaced in place in one copy: no rehashing into a new dictionary.
            .object(members.reduce(into: members) { result, member in
                result[member.key] = mask(member.value, forKey: member.key)
            })
        default: value
        }
    }

    /// Masks the value of the member `key`.
    public static func mask(_ value: JSONValue, forKey key: String) -> JSONValue {
        switch (kind(ofKey: key), value) {
        case (.secret, _): .string(maskedSecret)
        case (.personal, .null): .null
        case (.personal, .object), (.personal, .array), (.other, _): mask(value)
        case (.personal, _): .string(maskedValue)
        }
    }

    /// Masks personal data and credentials found by shape in free text.
    public static func mask(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.isASCII ? ("A"..."Z").contains($0) || ("0"..."9").contains($0) : $0.properties.isUppercase })
            || mentionsAuthScheme(text) else { return text }
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
            if runLength == 4, isDate(scalars, at: index), !isTimestamp(scalars, dateStart: index) {
                output.append(contentsOf: maskedDate.unicodeScalars)
                index += 10
            } else if (1...2).contains(runLength), let length = dayFirstDateLength(scalars, at: index) {
                output.append(contentsOf: maskedDate.unicodeScalars)
                index += length
            } else if runLength >= 9 {
                output.append(contentsOf: maskedID.unicodeScalars)
                index = end
            } else if let grouped = groupedNumberEnd(scalars, from: index) {
                // An ID written in groups: `079225.263305`, `072 225 643 042`, `0912-345-678`.
                output.append(contentsOf: maskedID.unicodeScalars)
                index = grouped
            } else {
                output.append(contentsOf: scalars[index..<end])
                index = end
            }
        }
        return String(output)
    }

    /// Where a number written in groups of two or more digits, joined by single spaces, dots
    /// or dashes, ends, when it has nine digits or more in all.
    private static func groupedNumberEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        func isDigit(_ position: Int) -> Bool { position < scalars.count && ("0"..."9").contains(scalars[position]) }
        // A dossier code (`H12.22-251120-0001`) or a receipt starts with letters: it is no ID.
        var back = start - 1
        while back >= 0, isDigit(back) || scalars[back] == "." || scalars[back] == "-" { back -= 1 }
        if back >= 0, scalars[back].properties.isAlphabetic || scalars[back] == "_" { return nil }
        var index = start
        var digits = 0
        var groups = 0
        while isDigit(index) {
            var end = index
            while isDigit(end) { end += 1 }
            if groups > 0, end - index < 2 { break }
            digits += end - index
            groups += 1
            index = end
            guard index + 1 < scalars.count, [" ", ".", "-"].contains(scalars[index]), isDigit(index + 1) else { break }
            index += 1
        }
        // Back off a trailing separator that started no group.
        while index > start, !isDigit(index - 1) { index -= 1 }
        return groups > 1 && digits >= 9 ? index : nil
    }

    /// A date followed by a time of day is a timestamp, kept for operators, unless it is exactly
    /// midnight (how a date of birth looks when a system stores it as a date-time).
    private static func isTimestamp(_ scalars: [Unicode.Scalar], dateStart: Int) -> Bool {
        let time = dateStart + 10
        guard time < scalars.count, scalars[time] == "T" || scalars[time] == "t" else { return false }
        let midnight = Array("T00:00:00".unicodeScalars)
        return !(time + midnight.count <= scalars.count && zip(scalars[time + 1..<time + midnight.count], midnight.dropFirst()).allSatisfy { $0 == $1 })
    }

    /// `D/M/YYYY`, `DD-MM-YYYY` or `DD.MM.YYYY` (the Vietnamese order) at `start`: its length.
    private static func dayFirstDateLength(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
        func digits(from index: Int) -> Int {
            var end = index
            while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
            return end - index
        }
        let dayLength = digits(from: start)
        let first = start + dayLength
        guard first < scalars.count, ["/", "-", "."].contains(scalars[first]) else { return nil }
        let monthLength = digits(from: first + 1)
        let second = first + 1 + monthLength
        guard (1...2).contains(monthLength), second < scalars.count, scalars[second] == scalars[first],
              digits(from: second + 1) == 4 else { return nil }
        return second + 5 - start
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

    /// Credentials after an HTTP auth scheme (`Bearer …`, `Basic …`).
    private static func maskBearer(_ text: String) -> String {
        let schemes = ["Bearer ", "bearer ", "Basic ", "basic "]
        guard mentionsAuthScheme(text) else { return text }
        var output = ""
        var remainder = Substring(text)
        while let range = schemes.compactMap({ remainder.firstRange(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            output += remainder[..<range.upperBound] + maskedSecret
            remainder = remainder[range.upperBound...].drop { !$0.isWhitespace && $0 != "\"" && $0 != "," }
        }
        return output + remainder
    }

    /// One pass over the bytes for "earer " or "asic " after a B or b: the common case (no
    /// credential) costs a single scan instead of one per scheme.
    private static func mentionsAuthScheme(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var iterator = text.utf8.makeIterator()
        var window: [UInt8] = []
        while let byte = iterator.next() {
            if previous == UInt8(ascii: "B") || previous == UInt8(ascii: "b"), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "a") {
                window = [byte]
                while window.count < 5, let next = iterator.next() { window.append(next) }
                if window == Array("earer".utf8) || Array(window.prefix(4)) == Array("asic".utf8) { return true }
                previous = window.last ?? 0
                continue
            }
            previous = byte
        }
        return false
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes; a plain scan, far cheaper than the generic
    /// `String.contains` for the short ASCII needles the masker looks for.
    func contains(subsequence needle: [UInt8]) -> Bool {
        needle.isEmpty || firstIndex(ofSubsequence: needle) != nil
    }

    /// Where `needle` first occurs in these bytes.
    func firstIndex(ofSubsequence needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty ? 0 : nil }
        return (0...(count - needle.count)).first { start in
            self[start] == needle[0] && self[start..<start + needle.count].elementsEqual(needle)
        }
    }
}
