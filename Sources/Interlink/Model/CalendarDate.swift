/// A calendar date in `YYYY-MM-DD` form, as the contracts use for dates of birth and death.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, four digits in `description`.
    public let year: Int
    /// The month, 1 through 12.
    public let month: Int
    /// The day of the month, starting at 1.
    public let day: Int

    /// Parses `YYYY-MM-DD`, refusing impossible days such as `2025-02-30`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Builds a date from its parts without checking them; ``init(_:)`` validates text.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Chronological order: year, then month, then day.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The date as zero-padded `YYYY-MM-DD`.
    public var description: String {
        "\(String(zeroPadded: year, width: 4))-\(String(zeroPadded: month, width: 2))-\(String(zeroPadded: day, width: 2))"
    }
}

extension CalendarDate {
    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int64 { Timestamp.days(fromCivil: self) }

    /// The date that many days after 1970-01-01 (negative for earlier dates).
    public init(daysSinceEpoch: Int64) {
        self = Timestamp.civil(fromDays: daysSinceEpoch)
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + Int64(days))
    }
}
