/// The holiday data file (`Config/calendar-vn.json`): the days the offices close and the
/// weekend days they work, each citing its source, and the years it covers.
public struct CalendarData: Sendable, Hashable {
    /// Weekdays closed, by date.
    public var holidays: [CalendarDate: String] = [:]
    /// Weekend days worked (làm bù), by date.
    public var workingDays: [CalendarDate: String] = [:]
    /// The first and last date the file's data is complete for.
    public var covers: ClosedRange<CalendarDate>
    /// Days derived from the law alone, before the government's notice for them was issued.
    public var provisional: Set<CalendarDate> = []

    /// Where the package installs it; a `calendar-vn.json` beside the config is read first.
    public static let installedPath = "/usr/share/interlink/calendar-vn.json"
    /// Where `make install` puts it (PREFIX=/usr/local).
    public static let localInstallPath = "/usr/local/share/interlink/calendar-vn.json"
    /// The file's name, beside the config or installed.
    public static let fileName = "calendar-vn.json"

    /// Parses the file's JSON; the problem says where, e.g. `/holidays/3/date: not a date`.
    public static func parse(_ json: JSONValue) -> Result<CalendarData, CalendarDataError> {
        guard let from = json["covers"]?["from"]?.stringValue.flatMap(CalendarDate.init),
              let to = json["covers"]?["to"]?.stringValue.flatMap(CalendarDate.init), from <= to else {
            return .failure(CalendarDataError("/covers: needs from and to dates (YYYY-MM-DD), from not after to"))
        }
        var data = CalendarData(covers: from...to)
        let sources = json["sources"]?.objectValue ?? [:]
        for list in ["holidays", "workingDays"] {
            for (index, entry) in (json[list]?.arrayValue ?? []).enumerated() {
                let at = "/\(list)/\(index)"
                guard let date = entry["date"]?.stringValue.flatMap(CalendarDate.init) else {
                    return .failure(CalendarDataError("\(at)/date: not a date (YYYY-MM-DD)"))
                }
                guard let name = entry["name"]?.stringValue, !name.isEmpty else { return .failure(CalendarDataError("\(at)/name: missing")) }
                guard let source = entry["source"]?.stringValue, sources[source] != nil else {
                    return .failure(CalendarDataError("\(at)/source: must name an entry of /sources, so every day cites where it comes from"))
                }
                if entry["provisional"]?.boolValue == true { data.provisional.insert(date) }
                let weekend = WorkingCalendar.isoWeekday(date) >= 6
                if list == "holidays" {
                    guard !weekend else { return .failure(CalendarDataError("\(at): \(date) is a weekend day; list only weekdays the offices close")) }
                    data.holidays[date] = name
                } else {
                    guard weekend else { return .failure(CalendarDataError("\(at): \(date) is a weekday; list only weekend days the offices work")) }
                    data.workingDays[date] = name
                }
            }
        }
        return .success(data)
    }

    /// Reads and parses the file at `path`.
    public static func load(_ path: String) -> Result<CalendarData, CalendarDataError> {
        switch FileBytes.readRegularFile(path, limit: 4 << 20) {
        case .failure(let problem): return .failure(CalendarDataError("cannot read \(path): \(problem)"))
        case .success(let bytes):
            do {
                return parse(try JSONParser.parse(bytes)).mapError { CalendarDataError("\(path): \($0.message)") }
            } catch {
                return .failure(CalendarDataError("\(path): \(error)"))
            }
        }
    }
}

/// Why a holiday data file was refused.
public struct CalendarDataError: Error, Sendable, CustomStringConvertible {
    /// Where and what, e.g. `/holidays/3/date: not a date (YYYY-MM-DD)`.
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
