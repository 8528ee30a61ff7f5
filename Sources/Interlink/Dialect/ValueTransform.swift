/// A small, declarative change to one value on its way into a request (or out of a
/// register's dossier): how an integrator meets an agency's formats without writing Swift.
public enum ValueTransform: Sendable, Hashable {
    /// A date or timestamp rewritten from one format to another, in a named time zone.
    case date(from: DateFormat, to: DateFormat, timeZone: ZoneRules)
    /// A number (or a numeric string) as text.
    case string
    /// A numeric string as a number.
    case number
    /// A value looked up in a table (compared as text); `fallback` when it is not listed.
    case map([String: JSONValue], fallback: JSONValue?)
    /// A string in upper case.
    case upper

    /// The date formats agencies use.
    public enum DateFormat: String, Sendable, Hashable, CaseIterable {
        /// `2025-11-20T02:15:03.120Z`, or any offset on input.
        case rfc3339
        /// `2025-11-20`.
        case isoDate = "yyyy-MM-dd"
        /// `20251120091503`, the national portal's.
        case compact = "yyyyMMddHHmmss"
        /// `20251120`.
        case compactDate = "yyyyMMdd"
        /// `20/11/2025`.
        case dayFirst = "dd/MM/yyyy"
    }

    /// The transformed value, or why it cannot be transformed.
    public func apply(_ value: JSONValue) -> Result<JSONValue, TransformError> {
        switch self {
        case .string:
            guard let text = value.scalarText else { return .failure(TransformError("expected a string or number, found \(value.typeName)")) }
            return .success(.string(text))
        case .number:
            if case .number = value { return .success(value) }
            guard let text = value.stringValue, let number = Double(text.trimmedWhitespace), number.isFinite else {
                return .failure(TransformError("expected a number or numeric text, found \(value.typeName)"))
            }
            return .success(.number(number))
        case .upper:
            guard let text = value.stringValue else { return .failure(TransformError("expected a string, found \(value.typeName)")) }
            return .success(.string(text.uppercased()))
        case .map(let table, let fallback):
            guard let key = value.scalarText, let mapped = table[key] ?? fallback else {
                return .failure(TransformError("\(value.scalarText.map { "\"\($0)\"" } ?? value.typeName) is not listed in the value map"))
            }
            return .success(mapped)
        case .date(let from, let to, let zone):
            guard let text = value.stringValue, let moment = from.parse(text, in: zone) else {
                return .failure(TransformError("expected a date as \(from.rawValue), found \(value.scalarText.map { "\"\($0)\"" } ?? value.typeName)"))
            }
            return .success(.string(to.format(moment, in: zone)))
        }
    }
}

/// Why a value could not be transformed.
public struct TransformError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was expected and found.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ValueTransform.DateFormat {
    /// The civil fields of a date, as read or to be written in one time zone.
    private typealias Fields = (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int)

    /// The instant `text` names: a date-only format is midnight in `zone`.
    func parse(_ text: String, in zone: ZoneRules) -> Timestamp? {
        let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) }.map { Int($0.value) - 48 }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        let fields: Fields
        switch self {
        case .rfc3339:
            return Timestamp(rfc3339: text)
        case .isoDate, .compactDate:
            guard digits.count == 8, text.utf8.count == (self == .isoDate ? 10 : 8) else { return nil }
            fields = (number(0..<4), number(4..<6), number(6..<8), 0, 0, 0, 0)
        case .dayFirst:
            guard digits.count == 8, text.utf8.count == 10, text.split(separator: "/").count == 3 else { return nil }
            fields = (number(4..<8), number(2..<4), number(0..<2), 0, 0, 0, 0)
        case .compact:
            guard digits.count == 14, text.utf8.count == 14 else { return nil }
            fields = (number(0..<4), number(4..<6), number(6..<8), number(8..<10), number(10..<12), number(12..<14), 0)
            guard fields.hour < 24, fields.minute < 60, fields.second < 60 else { return nil }
        }
        let date = CalendarDate(year: fields.year, month: fields.month, day: fields.day)
        // A day the calendar does not have (31/02/2025) is refused, not rolled over.
        guard CalendarDate(date.description) != nil else { return nil }
        return zone.instant(date, millisecondOfDay: Int64(((fields.hour * 60 + fields.minute) * 60 + fields.second) * 1_000 + fields.millisecond))
    }

    /// `moment` written in this format: RFC 3339 in UTC, the others as the clock in `zone` reads.
    func format(_ moment: Timestamp, in zone: ZoneRules) -> String {
        if self == .rfc3339 { return moment.description }
        let (date, millisecond) = zone.wallClock(at: moment)
        let (year, month, day) = (String(zeroPadded: date.year, width: 4), String(zeroPadded: date.month, width: 2), String(zeroPadded: date.day, width: 2))
        let clock = String.clock(millisecondOfDay: millisecond, separator: "")
        switch self {
        case .isoDate: return "\(year)-\(month)-\(day)"
        case .compactDate: return year + month + day
        case .dayFirst: return "\(day)/\(month)/\(year)"
        case .compact, .rfc3339: return year + month + day + clock
        }
    }
}
