@testable import Interlink
import Testing

/// The TZif footer's rule, in the forms the zone files use today and those POSIX allows.
@Suite("Time zones: POSIX rules")
struct PosixZoneRuleTests {
    static func offset(_ rule: String, _ instant: String) throws -> Int {
        let parsed = try #require(PosixZoneRule(rule), "\(rule)")
        return parsed.offsetSeconds(at: try #require(Timestamp(rfc3339: instant)).millisecondsSinceEpoch / 1_000)
    }

    @Test func fixedAndMonthWeekDayRules() throws {
        #expect(try Self.offset("<+07>-7", "2040-06-01T00:00:00Z") == 25_200)
        #expect(try Self.offset("<-03>3", "2040-06-01T00:00:00Z") == -10_800)
        // Berlin, 2040: summer time from 29 March 01:00 UTC to 28 October 01:00 UTC.
        #expect(try Self.offset("CET-1CEST,M3.5.0,M10.5.0/3", "2040-03-25T00:59:59Z") == 3_600)
        #expect(try Self.offset("CET-1CEST,M3.5.0,M10.5.0/3", "2040-03-25T01:00:00Z") == 7_200)
        #expect(try Self.offset("CET-1CEST,M3.5.0,M10.5.0/3", "2040-10-28T00:59:59Z") == 7_200)
        #expect(try Self.offset("CET-1CEST,M3.5.0,M10.5.0/3", "2040-10-28T01:00:00Z") == 3_600)
        // The southern hemisphere: Lord Howe's half hour, daylight time across the new year.
        #expect(try Self.offset("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2040-01-15T00:00:00Z") == 39_600)
        #expect(try Self.offset("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", "2040-07-15T00:00:00Z") == 37_800)
    }

    @Test func julianDaysAndTheDefaultRule() throws {
        // Without a rule, the United States' (second Sunday of March to first of November).
        #expect(try Self.offset("EST5EDT", "2040-07-01T00:00:00Z") == -14_400)
        #expect(try Self.offset("EST5EDT", "2040-01-01T00:00:00Z") == -18_000)
        // Jn never counts 29 February: J60 is 1 March even in a leap year; n counts it.
        #expect(try Self.offset("AAA0BBB,J60/0,J61/0", "2040-03-01T12:00:00Z") == 3_600)
        #expect(try Self.offset("AAA0BBB,59/0,60/0", "2040-02-29T12:00:00Z") == 3_600)
        // Daylight time all year, as RFC 8536 writes it.
        #expect(try Self.offset("EST5EDT,0/0,J365/25", "2040-12-31T12:00:00Z") == -14_400)
    }

    @Test func malformedRulesAreRefused() {
        for text in ["", "7", "AB-1", "<+07", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0",
                     "CET-1CEST,J0,J365", "CET-1CEST,M3.5.0,M10.5.0/200", "CET-1CEST,M3.5.0,M10.5.0 extra", "CET-200"] {
            #expect(PosixZoneRule(text) == nil, "\(text)")
        }
    }
}
