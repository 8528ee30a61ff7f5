/// Reads `Retry-After` in both of its forms.
public enum RetryAfter: Sendable {
    /// Milliseconds from `now`, from delta-seconds (`"120"`) or an HTTP-date; `nil` when unreadable.
    public static func milliseconds(_ value: String, now: Timestamp) -> Int64? {
        let text = value.trimmedWhitespace
        if let seconds = Int64(text), seconds >= 0 { return seconds * 1_000 }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
    }
}
