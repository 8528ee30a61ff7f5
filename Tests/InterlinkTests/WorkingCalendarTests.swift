import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The working-day calendar against the shipped holiday data (Config/calendar-vn.json).
@Suite("Working-day calendar")
struct WorkingCalendarTests {
    static let data: CalendarData = {
        guard case .success(let data) = CalendarData.load(Executables.packageRoot + "/Config/calendar-vn.json") else { fatalError("calendar-vn.json") }
        return data
    }()
    static let calendar = WorkingCalendar(holidays: data.holidays, workingDays: data.workingDays, covers: data.covers)

    /// A wall-clock time in Vietnam.
    static func local(_ text: String) -> Timestamp { Timestamp(rfc3339: text.replacingOccurrences(of: " ", with: "T") + ":00+07:00")! }

    @Test func tet2026ClosesTheOfficesFromThe16thToThe20thOfFebruary() {
        for day in 16...20 { #expect(!Self.calendar.isWorkingDay(CalendarDate(year: 2026, month: 2, day: day)), "2026-02-\(day)") }
        #expect(Self.calendar.isWorkingDay(CalendarDate(year: 2026, month: 2, day: 13)))
        #expect(Self.calendar.isWorkingDay(CalendarDate(year: 2026, month: 2, day: 23)))
        // One working day from Friday 10:00 before Tết is the Monday after it, 10:00.
        let due = DeadlineRule.workingDays(1).due(from: Self.local("2026-02-13 10:00"), in: Self.calendar)
        #expect(due == Self.local("2026-02-23 10:00"))
        // Working time across Tết counts only the sessions around it: 5.5 h on the Friday, 1 h on the Monday.
        #expect(Self.calendar.working(from: Self.local("2026-02-13 10:00"), to: Self.local("2026-02-23 08:30")) == 6 * 3_600_000 + 1_800_000)
    }

    @Test func reunificationLabourAndNationalDays() {
        for date in ["2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"] {
            #expect(!Self.calendar.isWorkingDay(CalendarDate(date)!), "\(date) is a day off")
        }
        #expect(Self.calendar.isWorkingDay(CalendarDate("2026-09-03")!))
        // Received on Wednesday after the cut-off: Thursday and Friday are 30/4 and 1/5, so the clock starts on Monday.
        #expect(Self.calendar.clockStart(received: Self.local("2026-04-29 16:00")) == Self.local("2026-05-04 07:30"))
    }

    @Test func aDeclaredCompensationSaturdayIsWorked() {
        #expect(Self.calendar.isWorkingDay(CalendarDate("2026-08-22")!), "làm bù for 31/8")
        #expect(Self.calendar.isWorkingDay(CalendarDate("2025-04-26")!), "làm bù for 2/5")
        #expect(!Self.calendar.isWorkingDay(CalendarDate("2026-08-29")!), "an ordinary Saturday")
        #expect(Self.calendar.clockStart(received: Self.local("2026-08-21 16:00")) == Self.local("2026-08-22 07:30"))
        // Two working hours from Friday 16:00: one that afternoon, one on the worked Saturday.
        #expect(DeadlineRule.workingHours(2).due(from: Self.local("2026-08-21 16:00"), in: Self.calendar) == Self.local("2026-08-22 08:30"))
    }

    @Test func onlyTimeInsideTheSessionsCounts() {
        let calendar = Self.calendar
        #expect(calendar.clockStart(received: Self.local("2026-11-30 07:00")) == Self.local("2026-11-30 07:30"))
        #expect(calendar.clockStart(received: Self.local("2026-11-30 09:15")) == Self.local("2026-11-30 09:15"))
        #expect(calendar.clockStart(received: Self.local("2026-11-30 11:45")) == Self.local("2026-11-30 13:00"), "lunch")
        #expect(calendar.clockStart(received: Self.local("2026-11-30 17:00")) == Self.local("2026-12-01 07:30"))
        #expect(DeadlineRule.workingHours(1).due(from: Self.local("2026-11-30 11:29"), in: calendar) == Self.local("2026-11-30 13:59"))
        #expect(DeadlineRule.workingHours(1).due(from: Self.local("2026-11-30 11:30"), in: calendar) == Self.local("2026-11-30 14:00"))
        #expect(DeadlineRule.workingDays(1).due(from: Self.local("2026-11-30 07:30"), in: calendar) == Self.local("2026-11-30 17:00"))
        #expect(DeadlineRule.workingDays(0).due(from: Self.local("2026-11-30 14:10"), in: calendar) == Self.local("2026-11-30 17:00"), "the same working day")
        #expect(DeadlineRule.workingDays(3).due(from: Self.local("2026-12-03 10:00"), in: calendar) == Self.local("2026-12-08 10:00"), "over a weekend")
        #expect(calendar.working(from: Self.local("2026-11-30 11:00"), to: Self.local("2026-11-30 13:30")) == 3_600_000)
        #expect(calendar.working(from: Self.local("2026-11-30 13:30"), to: Self.local("2026-11-30 11:00")) == -3_600_000, "overdue is negative")
    }

    @Test func theCutOffOnAFridayBeforeAHolidayMovesTheClockPastIt() {
        // Friday 24/4/2026 at the cut-off: Monday 27/4 is the Hùng Kings' day (10/3 lunar fell on Sunday 26/4).
        #expect(Self.calendar.clockStart(received: Self.local("2026-04-24 14:59")) == Self.local("2026-04-24 14:59"))
        #expect(Self.calendar.clockStart(received: Self.local("2026-04-24 15:00")) == Self.local("2026-04-28 07:30"))
        // Friday 28/8/2026 after it: 31/8 (swapped), 1/9 and 2/9 are off.
        #expect(Self.calendar.clockStart(received: Self.local("2026-08-28 15:30")) == Self.local("2026-09-03 07:30"))
        // A route's own cut-off (11:00) moves a 14:00 arrival to the next working day.
        #expect(Self.calendar.clockStart(received: Self.local("2026-11-30 14:00"), cutoff: 11 * 3_600_000) == Self.local("2026-12-01 07:30"))
    }

    @Test func aBirthGroupIsDueStepByStepFromReception() throws {
        var route = try #require(DemoConfig.load { _ in }.routes.first { $0.name == "birth-group" })
        route.deadline = .workingDays(3)
        route.steps[0].deadline = .workingDays(0)
        for index in route.steps.indices.dropFirst() { route.steps[index].deadline = .workingDays(2) }
        let snapshot = DossierSnapshot(code: "H12.22-261130-0001", version: 1, procedureCode: route.procedureCodes[0], updatedAt: "",
                                       payload: ["receivedAt": "2026-11-30T03:00:00Z", "dueAt": "2026-12-31T00:00:00Z"])
        let deadlines = try #require(DossierDeadlines.plan(snapshot, route: route, calendar: Self.calendar))
        #expect(deadlines.clockStart == Self.local("2026-11-30 10:00"))
        #expect(deadlines.due == Self.local("2026-12-03 10:00"), "the route's rule, not dueAt")
        #expect(deadlines.steps[route.steps[0].name] == Self.local("2026-11-30 17:00"), "registered the same working day")
        #expect(deadlines.steps[route.steps[1].name] == Self.local("2026-12-02 17:00"), "two working days after the step it needs is due")
        route.deadline = nil
        #expect(DossierDeadlines.plan(snapshot, route: route, calendar: Self.calendar)?.due == Timestamp(rfc3339: "2026-12-31T00:00:00Z"))
    }

    @Test func theDataFileCitesItsSourcesAndCheckConfigWarnsBeforeItRunsOut() throws {
        #expect(Self.data.covers.upperBound >= CalendarDate("2027-12-31")!)
        let config = CalendarConfig(calendar: Self.calendar, dataFile: "calendar-vn.json", provisional: Self.data.provisional)
        #expect(config.warnings(today: CalendarDate("2026-06-01")!).isEmpty)
        #expect(config.warnings(today: CalendarDate("2027-11-01")!).contains { $0.contains("ends before 2028-01-01") })
        #expect(config.warnings(today: CalendarDate("2026-12-01")!).contains { $0.contains("provisional") }, "Tết 2027 awaits its notice")
        #expect(CalendarConfig().warnings(today: CalendarDate("2026-12-01")!).contains { $0.contains("no holiday data") })
        func refusal(_ json: String) -> String? {
            guard case .failure(let error) = CalendarData.parse(try! JSONParser.parse(Array(json.utf8))) else { return nil }
            return error.message
        }
        let covers = #""covers": {"from": "2026-01-01", "to": "2026-12-31"}, "sources": {"law": "Labour Code"}"#
        #expect(refusal("{\(covers), \"holidays\": [{\"date\": \"2026-11-28\", \"name\": \"x\", \"source\": \"law\"}]}")?.contains("weekend") == true)
        #expect(refusal("{\(covers), \"holidays\": [{\"date\": \"2026-11-27\", \"name\": \"x\", \"source\": \"press\"}]}")?.contains("/holidays/0/source") == true)
        #expect(refusal("{\(covers), \"workingDays\": [{\"date\": \"2026-11-27\", \"name\": \"x\", \"source\": \"law\"}]}")?.contains("weekday") == true)
    }
}
