/// Reads `--since`/`--until` values: a duration before now (`90s`, `30m`, `2h`, `7d`) or an
/// RFC 3339 timestamp.
public enum TimeFilter: Sendable {
    /// The instant `text` names, counting durations back from `now`; nil when it is neither form.
    public static func parse(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        if let stamp = Timestamp(rfc3339: text) { return stamp }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let milliseconds: Int64
        switch unit {
        case "s": milliseconds = amount * 1_000
        case "m": milliseconds = amount * 60_000
        case "h": milliseconds = amount * 3_600_000
        case "d": milliseconds = amount * 86_400_000
        default: return nil
        }
        return now.adding(milliseconds: -milliseconds)
    }
}
