/// Reads `--since`/`--until` values: a duration before now (`90s`, `30m`, `2h`, `7d`) or an
/// RFC 3339 timestamp.
public enum TimeFilter: Sendable {
    /// The longest duration accepted: a century, far beyond any journal, and far from overflowing.
    public static let maxDurationMilliseconds: Int64 = 36_500 * 86_400_000

    /// The instant `text` names, counting durations back from `now`; nil when it is neither
    /// form, or a duration longer than ``maxDurationMilliseconds`` (an absurd one must be a
    /// usage error, never an arithmetic overflow).
    public static func parse(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        if let stamp = Timestamp(rfc3339: text) { return stamp }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1_000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        let (milliseconds, overflow) = amount.multipliedReportingOverflow(by: scale)
        guard !overflow, milliseconds <= maxDurationMilliseconds else { return nil }
        return now.adding(milliseconds: -milliseconds)
    }
}
