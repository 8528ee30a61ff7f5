/// Reads `--since`/`--until` values as operators type them: `today`, `yesterday`, a date
/// (`2026-11-30`), a local time (`2026-11-30 08:30`), a duration before now (`90s`, `1h30m`,
/// `2w`), or an RFC 3339 timestamp. Dates and local times are in `zone` (`time.zone`,
/// Asia/Ho_Chi_Minh by default).
public enum TimeFilter: Sendable {
    /// The longest duration accepted: a century, far beyond any journal, and far from overflowing.
    public static let maxDurationMilliseconds: Int64 = 36_500 * 86_400_000

    /// The zone operators mean when they give no offset.
    public static let defaultZone = ZoneRules(identifier: "Asia/Ho_Chi_Minh") ?? .vietnam

    /// The instant `text` names; nil when it is none of the forms, or a duration longer than
    /// ``maxDurationMilliseconds`` (an absurd one must be a usage error, never an overflow).
    public static func parse(_ text: String, now: Timestamp = .now(), zone: ZoneRules = defaultZone) -> Timestamp? {
        if let stamp = Timestamp(rfc3339: text) { return stamp }
        switch text.lowercased() {
        case "now": return now
        case "today": return startOfDay(now, zone: zone, daysBack: 0)
        case "yesterday": return startOfDay(now, zone: zone, daysBack: 1)
        default: break
        }
        if let local = localTime(text, zone: zone) { return local }
        guard let milliseconds = duration(text) else { return nil }
        return now.adding(milliseconds: -milliseconds)
    }

    /// Working time as `4h`, `1h30m` or `2d`, where a day is `dayLength` (the calendar's
    /// sessions), not 24 hours; nil otherwise. Weeks are not working time.
    public static func workingDuration(_ text: String, dayLength: Int64) -> Int64? {
        guard !text.contains("w") else { return nil }
        var total: Int64 = 0
        var rest = Substring(text)
        if let index = rest.firstIndex(of: "d") {
            guard let days = Int64(rest[..<index]), days <= 3_650 else { return nil }
            total = days * dayLength
            rest = rest[rest.index(after: index)...]
        }
        if rest.isEmpty { return text.isEmpty ? nil : total }
        guard let clock = duration(String(rest)) else { return nil }
        return total + clock
    }

    /// `1h30m`, `2w`, `90s`: amounts with units s, m, h, d, w, in any order; nil otherwise.
    static func duration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var amount = ""
        var sawUnit = false
        for character in text {
            if character.isASCIIDigit {
                amount.append(character)
                continue
            }
            let scale: Int64
            switch character {
            case "s": scale = 1_000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            case "w": scale = 7 * 86_400_000
            default: return nil
            }
            guard let value = Int64(amount) else { return nil }
            let (part, overflow) = value.multipliedReportingOverflow(by: scale)
            let (sum, overflowSum) = total.addingReportingOverflow(part)
            guard !overflow, !overflowSum else { return nil }
            total = sum
            amount = ""
            sawUnit = true
        }
        guard sawUnit, amount.isEmpty, total <= maxDurationMilliseconds else { return nil }
        return total
    }

    /// `2026-11-30`, `2026-11-30 08:30`, `2026-11-30T08:30:15`: the wall clock in `zone`.
    static func localTime(_ text: String, zone: ZoneRules) -> Timestamp? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = parts.first, let date = CalendarDate(String(first)), parts.count <= 2 else { return nil }
        var hour = 0, minute = 0, second = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":").map { Int($0) }
            guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
            hour = clock[0]!
            minute = clock[1]!
            second = clock.count == 3 ? clock[2]! : 0
            guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        }
        return zone.instant(date, millisecondOfDay: Int64((hour * 60 + minute) * 60 + second) * 1_000)
    }

    private static func startOfDay(_ now: Timestamp, zone: ZoneRules, daysBack: Int) -> Timestamp {
        zone.instant(zone.wallClock(at: now).date.adding(days: -daysBack), millisecondOfDay: 0)
    }

    /// `instant` as operators read it: `2026-11-30 08:30:15 +07` in `zone`, or RFC 3339 UTC when `zone` is nil.
    public static func display(_ instant: Timestamp, zone: ZoneRules?) -> String {
        guard let zone else { return instant.description }
        let (date, millisecond) = zone.wallClock(at: instant)
        let clock = String.clock(millisecondOfDay: millisecond, separator: ":")
        let offset = zone.offsetSeconds(at: instant)
        let hours = String(zeroPadded: abs(offset) / 3_600, width: 2), minutes = abs(offset) % 3_600 / 60
        return "\(date) \(clock) \(offset < 0 ? "-" : "+")\(hours)" + (minutes == 0 ? "" : ":" + String(zeroPadded: minutes, width: 2))
    }
}
