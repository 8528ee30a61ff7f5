/// The IMF-fixdate form of HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`), used by `Retry-After`.
public enum HTTPDate: Sendable {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `time` as IMF-fixdate in GMT, to the whole second (milliseconds are dropped).
    public static func format(_ time: Timestamp) -> String {
        let seconds = time.millisecondsSinceEpoch / 1_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let date = Timestamp.civil(fromDays: days)
        let secondOfDay = seconds - days * 86_400
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(pad(Int64(date.day))) \(months[date.month - 1]) \(date.year) "
            + "\(pad(secondOfDay / 3_600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    /// Parses IMF-fixdate; `nil` for anything else.
    public static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              hour < 24, minute < 60, second < 61, day >= 1, day <= CalendarDate.daysIn(month: month + 1, year: year) else { return nil }
        let days = Timestamp.days(fromCivil: CalendarDate(year: year, month: month + 1, day: day))
        return Timestamp(millisecondsSinceEpoch: (days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)) * 1_000)
    }
}
