import Foundation
import Interlink
import Testing

/// Times as operators type them, read in the configured zone.
@Suite("Time arguments")
struct TimeFilterTests {
    /// 2026-12-01 10:30 in Hanoi.
    static let now = Timestamp(rfc3339: "2026-12-01T03:30:00Z")!

    static func parse(_ text: String) -> String? {
        TimeFilter.parse(text, now: now)?.description
    }

    @Test func everyDaySpellingIsRead() {
        #expect(Self.parse("today") == "2026-11-30T17:00:00.000Z", "midnight in Hanoi")
        #expect(Self.parse("yesterday") == "2026-11-29T17:00:00.000Z")
        #expect(Self.parse("2026-11-30") == "2026-11-29T17:00:00.000Z")
        #expect(Self.parse("2026-11-30 08:30") == "2026-11-30T01:30:00.000Z")
        #expect(Self.parse("2026-11-30T08:30:15") == "2026-11-30T01:30:15.000Z")
        #expect(Self.parse("2026-11-30T08:30:15Z") == "2026-11-30T08:30:15.000Z", "an offset says its own zone")
        #expect(Self.parse("1h30m") == "2026-12-01T02:00:00.000Z")
        #expect(Self.parse("2w") == "2026-11-17T03:30:00.000Z")
        #expect(Self.parse("90s") == "2026-12-01T03:28:30.000Z")
        #expect(TimeFilter.parse("today", now: Self.now, zone: .utc)?.description == "2026-12-01T00:00:00.000Z")
    }

    @Test func nonsenseAndOverflowAreRefused() {
        for text in ["soon", "1h30", "h", "2026-13-01", "2026-11-30 25:00", "9999999999999d", "5300w", "-5d", ""] {
            #expect(Self.parse(text) == nil, "\(text)")
        }
    }

    @Test func timesAreShownInTheZone() {
        #expect(TimeFilter.display(Self.now, zone: TimeFilter.defaultZone) == "2026-12-01 10:30:00 +07")
        #expect(TimeFilter.display(Self.now, zone: nil) == "2026-12-01T03:30:00.000Z")
    }
}
