#if canImport(Glibc)
import Glibc
#endif

/// A time zone's offsets from UTC, read from the system's IANA database (`/usr/share/zoneinfo`,
/// or `$TZDIR`). The daemon's own reader rather than Foundation's `TimeZone`: that one needs
/// ICU, and ICU with the rest of Foundation was a tenth of the daemon's resident memory.
public struct ZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The IANA name, such as `Asia/Ho_Chi_Minh`.
    public let identifier: String
    /// Instants (seconds since the epoch) where the offset changes, ascending.
    let transitions: [Int64]
    /// The offset in seconds east of UTC from each transition on.
    let offsets: [Int32]
    /// The offset before the first transition.
    let initialOffset: Int32
    /// The rule after the last transition (the TZif footer), if the file gives one.
    let rule: PosixZoneRule?

    init(identifier: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, rule: PosixZoneRule?) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.rule = rule
    }

    /// Vietnam's zone, built in: UTC+07:00 without daylight saving since 1975, so it works
    /// where no zone database is installed.
    public static let vietnam = ZoneRules(identifier: "Asia/Ho_Chi_Minh", transitions: [], offsets: [], initialOffset: 7 * 3_600, rule: nil)
    /// UTC, built in.
    public static let utc = ZoneRules(identifier: "UTC", transitions: [], offsets: [], initialOffset: 0, rule: nil)

    /// The zone named `identifier`, or `nil` when the name is not a zone in the database.
    public init?(identifier: String, environment: [String: String] = ProcessEnvironment.current) {
        guard Self.isZoneName(identifier) else { return nil }
        let directory = environment["TZDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/zoneinfo"
        if let bytes = FileBytes.read(directory + "/" + identifier, limit: 1 << 20),
           let parsed = Self.parseTZif(bytes, identifier: identifier) {
            self = parsed
        } else if let builtIn = [Self.vietnam, Self.utc].first(where: { $0.identifier == identifier }) {
            self = builtIn
        } else {
            return nil
        }
    }

    /// A database name: letters, digits, `_`, `+`, `-` in `/`-separated parts, never `..` or absolute,
    /// so a config cannot name a file outside the database.
    static func isZoneName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return !text.isEmpty && text.utf8.count <= 255 && parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && part.utf8.first != UInt8(ascii: "-")
                && part.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_+-".unicodeScalars.contains($0)) }
        }
    }

    /// Seconds east of UTC in force at `instant`.
    public func offsetSeconds(at instant: Timestamp) -> Int {
        let seconds = Self.floorDivide(instant.millisecondsSinceEpoch, 1_000)
        if let rule, seconds >= transitions.last ?? .min { return rule.offsetSeconds(at: seconds) }
        // The last transition at or before `seconds`.
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return Int(low == 0 ? initialOffset : offsets[low - 1])
    }

    /// The wall clock at `instant`: its date and the milliseconds since that day's midnight.
    public func wallClock(at instant: Timestamp) -> (date: CalendarDate, millisecondOfDay: Int64) {
        let local = instant.millisecondsSinceEpoch + Int64(offsetSeconds(at: instant)) * 1_000
        let days = Self.floorDivide(local, 86_400_000)
        return (CalendarDate(daysSinceEpoch: days), local - days * 86_400_000)
    }

    /// The instant the wall clock reads `millisecondOfDay` on `date`. A time the clocks skipped
    /// is read with the offset before the change (02:30 becomes 03:30); a time they passed twice
    /// is the earlier instant. The same choices as Foundation's calendar.
    public func instant(_ date: CalendarDate, millisecondOfDay: Int64) -> Timestamp {
        let local = date.daysSinceEpoch * 86_400_000 + millisecondOfDay
        // A fixed offset (Vietnam's, UTC) has neither gaps nor repeats: deadlines take this path.
        if transitions.isEmpty, rule == nil { return Timestamp(millisecondsSinceEpoch: local - Int64(initialOffset) * 1_000) }
        let before = offsetSeconds(at: Timestamp(millisecondsSinceEpoch: local - 86_400_000))
        let after = offsetSeconds(at: Timestamp(millisecondsSinceEpoch: local + 86_400_000))
        let valid = Set([before, after]).map { Timestamp(millisecondsSinceEpoch: local - Int64($0) * 1_000) }
            .filter { offsetSeconds(at: $0) * 1_000 == Int(local - $0.millisecondsSinceEpoch) }
        return valid.min() ?? Timestamp(millisecondsSinceEpoch: local - Int64(before) * 1_000)
    }

    /// The zone's name.
    public var description: String { identifier }

    /// Zones are the same when their names are.
    public static func == (lhs: ZoneRules, rhs: ZoneRules) -> Bool { lhs.identifier == rhs.identifier }

    /// Hashes the name, as ``==`` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
