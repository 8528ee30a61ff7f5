@testable import Interlink
import Testing

/// (Mutating calls are made outside `#expect`, which cannot take them.)
@Suite("Write-back slots: the register's concurrency, and never the same write-back twice")
struct WriteBackSlotsTests {
    static func records(_ codes: [String]) -> [WriteBackRecord] {
        codes.map { WriteBackRecord(dossierCode: $0, dossierVersion: 1, sequence: 1, outcome: .completed, body: "{}", idempotencyKey: "\($0):k",
                                    state: .pending, attempts: 0, nextAttemptAt: nil, firstAttemptAt: nil, lastError: nil) }
    }

    @Test func startsWithinTheRegistersSlotsAndLooksAgainOnlyWhenCalledFor() {
        var slots = WriteBackSlots(limit: 2)
        let now = Timestamp(millisecondsSinceEpoch: 10_000)
        let firstLook = slots.beginLook(now: now)
        let firstSent = slots.endLook(found: Self.records(["A", "B", "C"]))
        #expect(firstLook == 2 && firstSent.map(\.dossierCode) == ["A", "B"])
        let noRoom = slots.beginLook(now: now)
        #expect(noRoom == nil, "no free slot")
        slots.answered()
        let oneFree = slots.beginLook(now: now)
        let secondSent = slots.endLook(found: Self.records(["A", "B", "C"]))
        #expect(oneFree == 1, "the free slot only: the claim leaves out those in flight")
        #expect(secondSent.map(\.dossierCode) == ["C"])
        slots.answered()
        slots.answered()
        for code in ["A", "B", "C"] { slots.settled(code) }
        #expect(slots.isIdle)
        _ = slots.beginLook(now: now)
        _ = slots.endLook(found: [])
        let tooSoon = slots.beginLook(now: now.adding(milliseconds: 999))
        let aSecondLater = slots.beginLook(now: now.adding(milliseconds: 1_000))
        _ = slots.endLook(found: nil)
        #expect(tooSoon == nil && aSecondLater == 2, "nothing queued: at most one look a second")
        slots.markQueued()
        let queued = slots.beginLook(now: now.adding(milliseconds: 1_001))
        #expect(queued == 2)
    }

    /// A look that ran while a write-back settled may still return it as pending: not resent.
    @Test func aWriteBackSettledDuringALookIsNotSentAgain() {
        var slots = WriteBackSlots(limit: 4)
        let now = Timestamp(millisecondsSinceEpoch: 10_000)
        _ = slots.beginLook(now: now)
        _ = slots.endLook(found: Self.records(["A"]))
        slots.markQueued()
        _ = slots.beginLook(now: now)
        slots.answered()
        slots.settled("A")
        let sent = slots.endLook(found: Self.records(["A", "B"]))
        #expect(sent.map(\.dossierCode) == ["B"])
    }

    /// Regression: a slot freed during a claim started a second, overlapping claim, which
    /// re-claimed what the first had just started and fenced out its settle; it was sent again.
    @Test func claimsNeverOverlapAndACallDuringOneLooksAgainAtOnce() {
        var slots = WriteBackSlots(limit: 2)
        let now = Timestamp(millisecondsSinceEpoch: 10_000)
        let first = slots.beginLook(now: now)
        let during = slots.beginLook(now: now)
        #expect(first == 2 && during == nil, "one claim at a time")
        _ = slots.endLook(found: Self.records(["A"]))
        let after = slots.beginLook(now: now)
        #expect(after == 1, "the call made during the claim is not lost: the next look is at once")
    }
}
