/// The working calendar of a province's offices: which days are worked, the daily sessions,
/// and the cut-off after which a dossier counts from the next working day. It counts as
/// one-stop software does: only time inside a session counts, so a working day is the sum of
/// its sessions (8 hours by default), weekends and public holidays are skipped, and declared
/// compensation days (làm bù) are worked.
///
/// It computes in Asia/Ho_Chi_Minh, a fixed UTC+07:00: Vietnam has kept no daylight saving
/// since 1975, so every local time maps to one instant and back.
public struct WorkingCalendar: Sendable, Hashable {
    /// A daily session, in milliseconds after local midnight.
    public struct Session: Sendable, Hashable {
        public var start: Int64
        public var end: Int64
        /// A session from `start` to `end`, in minutes after local midnight.
        public init(startMinute: Int, endMinute: Int) {
            start = Int64(startMinute) * 60_000
            end = Int64(endMinute) * 60_000
        }
    }

    static let dayMilliseconds: Int64 = 86_400_000

    /// Weekdays (Mon–Fri) the offices are closed: public holidays, their compensation days and swapped days, by name.
    public var holidays: [CalendarDate: String]
    /// Weekend days the offices work (làm bù), by name.
    public var workingDays: [CalendarDate: String]
    /// ISO weekdays (1 Monday … 7 Sunday) that are not worked unless declared.
    public var weekend: Set<Int>
    /// The sessions of a working day, in order and apart.
    public var sessions: [Session]
    /// After this, in milliseconds after local midnight, a dossier counts from the next working day.
    public var cutoff: Int64
    /// The dates the holiday data is known for; outside them only weekends are known.
    public var covers: ClosedRange<CalendarDate>?

    /// 07:30–11:30 and 13:00–17:00, the sessions of Vietnamese state offices.
    public static let defaultSessions = [Session(startMinute: 7 * 60 + 30, endMinute: 11 * 60 + 30), Session(startMinute: 13 * 60, endMinute: 17 * 60)]
    /// 15:00.
    public static let defaultCutoff: Int64 = 15 * 3_600_000

    /// A calendar; with no holidays it knows only weekends.
    public init(holidays: [CalendarDate: String] = [:], workingDays: [CalendarDate: String] = [:], weekend: Set<Int> = [6, 7],
                sessions: [Session] = defaultSessions, cutoff: Int64 = defaultCutoff, covers: ClosedRange<CalendarDate>? = nil) {
        self.holidays = holidays
        self.workingDays = workingDays
        self.weekend = weekend
        self.sessions = sessions
        self.cutoff = cutoff
        self.covers = covers
    }

    /// The length of a working day: the sum of its sessions.
    public var dayLength: Int64 { sessions.reduce(0) { $0 + $1.end - $1.start } }

    /// 1 for Monday through 7 for Sunday (1970-01-01 was a Thursday).
    public static func isoWeekday(_ date: CalendarDate) -> Int {
        let days = date.daysSinceEpoch
        return Int(((days + 3) % 7 + 7) % 7) + 1
    }

    /// Whether the offices work on `date`: a declared working day always, a holiday never,
    /// otherwise unless it is a weekend day.
    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        if workingDays[date] != nil { return true }
        if holidays[date] != nil { return false }
        return !weekend.contains(Self.isoWeekday(date))
    }

    /// The local date of `instant`, and how far into that day it is.
    public static func local(_ instant: Timestamp) -> (date: CalendarDate, offset: Int64) {
        let clock = ZoneRules.vietnam.wallClock(at: instant)
        return (clock.date, clock.millisecondOfDay)
    }

    /// The instant `offset` milliseconds into local `date`.
    public static func instant(_ date: CalendarDate, _ offset: Int64) -> Timestamp {
        ZoneRules.vietnam.instant(date, millisecondOfDay: offset)
    }

    /// `2026-12-03T10:00+07:00`: an instant as the offices' clock shows it, for messages. The
    /// `T` keeps it a timestamp to the personal-data masker, which hides bare dates.
    public static func describe(_ instant: Timestamp) -> String {
        let (date, offset) = local(instant)
        let minutes = Int(offset / 60_000)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date)T\(two(minutes / 60)):\(two(minutes % 60))+07:00"
    }

    /// The first working day after `date`. The weekend leaves at least one weekday, so this ends.
    public func nextWorkingDay(after date: CalendarDate) -> CalendarDate {
        var day = date.adding(days: 1)
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// When the clock starts for a dossier received at `received`: then, if that is working time
    /// before the cut-off (`cutoff`, else the calendar's); the next session's start if it falls
    /// before one that day; otherwise the first session of the next working day.
    public func clockStart(received: Timestamp, cutoff: Int64? = nil) -> Timestamp {
        let (date, offset) = Self.local(received)
        if isWorkingDay(date), offset < cutoff ?? self.cutoff, let session = sessions.first(where: { offset < $0.end }) {
            return offset >= session.start ? received : Self.instant(date, session.start)
        }
        return Self.instant(nextWorkingDay(after: date), sessions[0].start)
    }

    /// The instant `amount` milliseconds of working time after `start` (from the next working
    /// moment when `start` is outside working time). Ending exactly at a session's end stays
    /// in that session: one working day from 07:30 is 17:00 the same day.
    public func adding(working amount: Int64, to start: Timestamp) -> Timestamp {
        var (date, offset) = Self.local(start)
        var left = max(0, amount)
        while true {
            if isWorkingDay(date) {
                for session in sessions where offset < session.end {
                    let from = max(offset, session.start)
                    if left <= session.end - from { return Self.instant(date, from + left) }
                    left -= session.end - from
                    offset = session.end
                }
            }
            date = date.adding(days: 1)
            offset = 0
        }
    }

    /// The end of the working day `start` falls in (or of the next one, outside working time).
    public func endOfWorkingDay(from start: Timestamp) -> Timestamp {
        let (date, offset) = Self.local(start)
        let last = sessions[sessions.count - 1].end
        if isWorkingDay(date), offset < last { return Self.instant(date, last) }
        return Self.instant(nextWorkingDay(after: date), last)
    }

    /// Working time between two instants; negative when `to` is before `from`.
    public func working(from: Timestamp, to: Timestamp) -> Int64 {
        if to < from { return -working(from: to, to: from) }
        let (startDate, startOffset) = Self.local(from)
        let (endDate, endOffset) = Self.local(to)
        var total: Int64 = 0
        var date = startDate
        while date <= endDate {
            if isWorkingDay(date) {
                let low = date == startDate ? startOffset : 0
                let high = date == endDate ? endOffset : Self.dayMilliseconds
                for session in sessions {
                    total += max(0, min(high, session.end) - max(low, session.start))
                }
            }
            date = date.adding(days: 1)
        }
        return total
    }

    /// The first date from `from` through `days` days later that the holiday data does not cover.
    public func uncovered(from: CalendarDate, days: Int) -> CalendarDate? {
        let last = from.adding(days: days)
        guard let covers else { return from }
        if from < covers.lowerBound { return from }
        return last > covers.upperBound ? covers.upperBound.adding(days: 1) : nil
    }
}
