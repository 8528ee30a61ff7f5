/// The `calendar` section: the holiday data file, and the province's own sessions, cut-off,
/// holidays and compensation working days on top of it.
public struct CalendarConfig: Sendable, Hashable {
    /// The calendar deadlines are counted in.
    public var calendar: WorkingCalendar
    /// The holiday data file read, or nil when none was found (then only weekends are known).
    public var dataFile: String?
    /// The file's days not yet confirmed by a government notice (the config's own days are).
    public var provisional: Set<CalendarDate> = []

    /// Only weekends known: no data file.
    public init(calendar: WorkingCalendar = WorkingCalendar(), dataFile: String? = nil, provisional: Set<CalendarDate> = []) {
        self.calendar = calendar
        self.dataFile = dataFile
        self.provisional = provisional
    }

    /// What `--check-config` and the start-up log warn about: a calendar that does not know the
    /// holidays of the next 90 days counts them as working days.
    public func warnings(today: CalendarDate) -> [String] {
        guard dataFile != nil || calendar.covers != nil else {
            return ["/calendar: no holiday data (\(CalendarData.fileName) beside the config, or \(CalendarData.installedPath)); "
                    + "deadlines count weekends only: install the package's file or set calendar.file"]
        }
        var warnings: [String] = []
        if let gap = calendar.uncovered(from: today, days: 90) {
            warnings.append("/calendar: the holiday data ends before \(gap), within the next 90 days; deadlines after it count weekends only: "
                            + "add the government's notice for that year to calendar.holidays and calendar.workingDays, or update \(dataFile ?? "the data file")")
        }
        let soon = provisional.filter { $0 >= today && $0 <= today.adding(days: 90) }.sorted()
        if let first = soon.first {
            warnings.append("/calendar: \(soon.count) day(s) of the next 90 from \(first) are provisional (the government's notice was not issued "
                            + "when the data was written): check them against the notice, and set calendar.holidays or calendar.workingDays")
        }
        return warnings
    }
}

extension CalendarConfig {
    init(reading object: ConfigObjectReader?, configDirectory: String, collector: IssueCollector) {
        var calendar = WorkingCalendar()
        var dataFile: String?
        var provisional: Set<CalendarDate> = []
        let explicit = object?.optionalString("file")
        let candidates = explicit.map { [$0.hasPrefix("/") ? $0 : FileBytes.join(configDirectory, $0)] }
            ?? [FileBytes.join(configDirectory, CalendarData.fileName), CalendarData.installedPath, CalendarData.localInstallPath]
        if let path = candidates.first(where: { explicit != nil || FileBytes.exists($0) }) {
            switch CalendarData.load(path) {
            case .success(let data):
                calendar.holidays = data.holidays
                calendar.workingDays = data.workingDays
                calendar.covers = data.covers
                provisional = data.provisional
                dataFile = path
            case .failure(let problem):
                object?.report("file", "\(problem); fix the file or point calendar.file at the package's \(CalendarData.installedPath)")
            }
        }
        guard let object else {
            self.init(calendar: calendar, dataFile: dataFile, provisional: provisional)
            return
        }
        defer { object.finish() }
        if object.has("sessions") {
            let sessions = object.stringArray("sessions").compactMap(Self.session)
            if sessions.isEmpty || sessions.count != object.array("sessions").count || !Self.ordered(sessions) {
                object.report("sessions", "expected sessions such as [\"07:30-11:30\", \"13:00-17:00\"], in order and apart")
            } else {
                calendar.sessions = sessions
            }
        }
        if let text = object.optionalString("cutoff") {
            if let minutes = Self.clock(text) { calendar.cutoff = Int64(minutes) * 60_000 } else { object.report("cutoff", "expected HH:MM, e.g. 15:00") }
        }
        let declared = [("holidays", object.stringMap("holidays") ?? [:]), ("workingDays", object.stringMap("workingDays") ?? [:])]
        for (key, days) in declared {
            for (text, name) in days {
                guard let date = CalendarDate(text) else {
                    object.report(key, "\"\(text)\" is not a date (YYYY-MM-DD)")
                    continue
                }
                // The province's word wins over the data file's for the same day.
                provisional.remove(date)
                if key == "holidays" {
                    calendar.holidays[date] = name
                    calendar.workingDays[date] = nil
                } else {
                    calendar.workingDays[date] = name
                    calendar.holidays[date] = nil
                }
            }
        }
        for date in Set(declared[0].1.keys).intersection(declared[1].1.keys).sorted() {
            object.report("workingDays", "\(date) is both a holiday and a working day; keep one")
        }
        self.init(calendar: calendar, dataFile: dataFile, provisional: provisional)
    }

    /// `HH:MM` as minutes after midnight.
    public static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }

    /// `HH:MM-HH:MM`.
    static func session(_ text: String) -> WorkingCalendar.Session? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = clock(String(parts[0])), let end = clock(String(parts[1])), start < end else { return nil }
        return WorkingCalendar.Session(startMinute: start, endMinute: end)
    }

    static func ordered(_ sessions: [WorkingCalendar.Session]) -> Bool {
        zip(sessions, sessions.dropFirst()).allSatisfy { $0.end <= $1.start }
    }
}
