import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The daemon's own reader of the IANA zone database, checked against Foundation's ICU-backed
/// `TimeZone` and `Calendar`, which the daemon no longer links.
@Suite("Time zones")
struct ZoneRulesTests {
    /// Zones with daylight saving in either hemisphere, half-hour and 45-minute offsets, a
    /// half-hour daylight shift (Lord Howe), a 26:00 change (Israel) and a fixed one.
    static let zones = ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
                        "Asia/Kolkata", "Pacific/Chatham", "Asia/Jerusalem", "Europe/London", "UTC"]
    /// 1990 to 2080: past the files' last transitions (2037), where their footer rule applies.
    static let span: ClosedRange<Int64> = 631_152_000...3_471_292_800

    @Test(arguments: zones) func offsetsMatchFoundationFor90Years(_ name: String) throws {
        let rules = try #require(ZoneRules(identifier: name)), reference = try #require(TimeZone(identifier: name))
        // Every 3 days and 7 hours: each year's changes are passed within hours, at every time of day.
        for seconds in stride(from: Self.span.lowerBound, through: Self.span.upperBound, by: 3 * 86_400 + 7 * 3_600) {
            let instant = Timestamp(millisecondsSinceEpoch: seconds * 1_000)
            let expected = reference.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
            guard rules.offsetSeconds(at: instant) == expected else {
                Issue.record("\(name) at \(instant): \(rules.offsetSeconds(at: instant)) s, Foundation says \(expected)")
                return
            }
        }
    }

    @Test(arguments: zones) func wallClocksAroundEveryChangeMatchFoundation(_ name: String) throws {
        let rules = try #require(ZoneRules(identifier: name)), reference = try #require(TimeZone(identifier: name))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = reference
        // Each change from 2020 to 2045, found by Foundation; the wall clock every 15 minutes for
        // three hours either side, skipped and repeated times included.
        var moment = Date(timeIntervalSince1970: 1_577_836_800), changes = 0
        while let change = reference.nextDaylightSavingTimeTransition(after: moment), change.timeIntervalSince1970 < 2_366_841_600 {
            moment = change
            changes += 1
            for quarter in -12...12 {
                let local = Int64(change.timeIntervalSince1970) + Int64(reference.secondsFromGMT(for: change)) + Int64(quarter * 900)
                let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
                let date = CalendarDate(daysSinceEpoch: days), secondOfDay = local - days * 86_400
                let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: Int(secondOfDay / 3_600),
                                                minute: Int(secondOfDay / 60 % 60))
                let expected = try #require(calendar.date(from: components))
                let ours = rules.instant(date, millisecondOfDay: secondOfDay * 1_000)
                #expect(ours.millisecondsSinceEpoch == Int64(expected.timeIntervalSince1970 * 1_000), "\(name) \(date) \(secondOfDay) s")
                let shown = rules.wallClock(at: ours)
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: expected)
                #expect(shown.date == CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)
                        && shown.millisecondOfDay == Int64((parts.hour! * 60 + parts.minute!) * 60_000), "\(name) \(date) \(secondOfDay) s")
            }
        }
        // Two changes a year where the zone keeps daylight saving time, none where it does not.
        let keepsDaylight = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham",
                             "Asia/Jerusalem", "Europe/London"].contains(name)
        #expect(keepsDaylight ? changes >= 50 : changes == 0, "\(name): \(changes) changes")
    }

    @Test func namesOutsideTheDatabaseAreRefused() {
        for name in ["", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Asia/../Asia/Tokyo", "Asia//Tokyo", "Asia/", "-rf", "Asia/Ho Chi Minh", "zone.tab"] {
            #expect(ZoneRules(identifier: name) == nil, "\(name)")
        }
    }

    @Test func vietnamAndUTCNeedNoDatabase() throws {
        let empty = try TemporaryDirectory()
        let environment = ["TZDIR": empty.path]
        let vietnam = try #require(ZoneRules(identifier: "Asia/Ho_Chi_Minh", environment: environment))
        #expect(vietnam.offsetSeconds(at: .now()) == 7 * 3_600)
        #expect(ZoneRules(identifier: "UTC", environment: environment)?.offsetSeconds(at: .now()) == 0)
        #expect(ZoneRules(identifier: "Europe/Berlin", environment: environment) == nil)
    }

    @Test func aDamagedZoneFileIsRefusedNotTrusted() throws {
        let directory = try TemporaryDirectory()
        let real = try #require(FileBytes.read("/usr/share/zoneinfo/Europe/Berlin"))
        let cases: [String: [UInt8]] = ["Empty": [], "Text": Array("not a zone file".utf8), "Header": Array(real.prefix(44)),
                                        "Cut": Array(real.prefix(real.count / 3))]
        for (name, bytes) in cases {
            #expect(FileManager.default.createFile(atPath: directory.file(name), contents: Data(bytes)))
            #expect(ZoneRules(identifier: name, environment: ["TZDIR": directory.path]) == nil, "\(name)")
        }
        // A valid copy under another name reads the same.
        #expect(FileManager.default.createFile(atPath: directory.file("Copy"), contents: Data(real)))
        let copy = try #require(ZoneRules(identifier: "Copy", environment: ["TZDIR": directory.path]))
        #expect(copy.offsetSeconds(at: Timestamp(rfc3339: "2026-07-01T00:00:00Z")!) == 7_200)
    }

    @Test func operatorsSeeTheZonesOffset() throws {
        let instant = Timestamp(rfc3339: "2026-11-30T01:30:15Z")!
        #expect(TimeFilter.display(instant, zone: .vietnam) == "2026-11-30 08:30:15 +07")
        let kolkata = try #require(ZoneRules(identifier: "Asia/Kolkata")), newYork = try #require(ZoneRules(identifier: "America/New_York"))
        #expect(TimeFilter.display(instant, zone: kolkata) == "2026-11-30 07:00:15 +05:30")
        #expect(TimeFilter.display(instant, zone: newYork) == "2026-11-29 20:30:15 -05")
        #expect(TimeFilter.display(instant, zone: nil) == "2026-11-30T01:30:15.000Z")
    }
}
