/// Reads a POSIX `TZ` string's parts in order, for ``PosixZoneRule``.
struct PosixRuleReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    /// Whether an offset follows (a sign or a digit), rather than a rule.
    var startsOffset: Bool {
        guard let byte = peek else { return false }
        return byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || Self.isDigit(byte)
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// A zone abbreviation: `<…>` quoted, or three or more letters.
    mutating func name() -> Bool {
        if peek == UInt8(ascii: "<") {
            guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { return false }
            index = close + 1
            return true
        }
        let start = index
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { index += 1 }
        return index - start >= 3
    }

    /// `[+-]hh[:mm[:ss]]` as seconds, hours up to 167.
    mutating func offset() -> Int? {
        var sign = 1
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
            sign = peek == UInt8(ascii: "-") ? -1 : 1
            index += 1
        }
        guard let hours = number(), hours <= 167 else { return nil }
        var total = hours * 3_600
        for scale in [60, 1] {
            guard peek == UInt8(ascii: ":") else { break }
            index += 1
            guard let part = number(), part < 60 else { return nil }
            total += part * scale
        }
        return sign * total
    }

    /// `,start[/time],end[/time]`.
    mutating func changes() -> (PosixZoneRule.Change, PosixZoneRule.Change)? {
        guard let start = change(), let end = change() else { return nil }
        return (start, end)
    }

    private mutating func change() -> PosixZoneRule.Change? {
        guard peek == UInt8(ascii: ","), bytes.count > index + 1 else { return nil }
        index += 1
        let day: PosixZoneRule.Day
        switch peek {
        case UInt8(ascii: "J"):
            index += 1
            guard let number = number(), (1...365).contains(number) else { return nil }
            day = .julian(number)
        case UInt8(ascii: "M"):
            index += 1
            guard let month = number(), (1...12).contains(month), skip("."), let week = number(), (1...5).contains(week),
                  skip("."), let weekday = number(), (0...6).contains(weekday) else { return nil }
            day = .monthWeek(month: month, week: week, weekday: weekday)
        default:
            guard let number = number(), (0...365).contains(number) else { return nil }
            day = .zeroBased(number)
        }
        var time = 7_200
        if skip("/") {
            guard let given = offset() else { return nil }
            time = given
        }
        return PosixZoneRule.Change(day: day, time: time)
    }

    private mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard peek == UInt8(character.value) else { return false }
        index += 1
        return true
    }

    private mutating func number() -> Int? {
        let start = index
        var value = 0
        while let byte = peek, Self.isDigit(byte), index - start < 4 {
            value = value * 10 + Int(byte - 0x30)
            index += 1
        }
        return index > start ? value : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
