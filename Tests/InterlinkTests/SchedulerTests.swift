@testable import Interlink
import Testing

/// The engine's scheduling decisions, without sockets or a journal. (Mutating calls are
/// made outside `#expect`, which cannot take them.)
@Suite("Scheduler: what is in flight, due, blocked, and when to wake")
struct SchedulerTests {
    typealias F = TransferFixtures
    static let now = Timestamp(millisecondsSinceEpoch: 100_000)

    static func scheduler() -> Scheduler {
        Scheduler(agencies: ["land": F.agency("land", maxConcurrent: 2), "insurance": F.agency("insurance", maxConcurrent: 3)])
    }

    @Test func asksForFreeSlotsAndLeavesOutWhatIsInFlight() {
        var scheduler = Self.scheduler()
        let limits = scheduler.dueLimits(now: Self.now)
        #expect(limits == ["land": 2, "insurance": 3])
        let claims = (1...2).map { F.record(id: Int64($0), code: "L\($0)", agency: "land", state: .ready) }
        let (send, handBack) = scheduler.start(claims)
        #expect(send.map(\.id) == [1, 2] && handBack.isEmpty)
        #expect(Set(scheduler.inFlight.keys) == [1, 2], "the next claim leaves them out")
        let full = scheduler.dueLimits(now: Self.now)
        #expect(full["land"] == nil, "both slots taken")
        let freed = scheduler.answered(1), freedAgain = scheduler.answered(1)
        #expect(freed && !freedAgain, "a slot is freed once")
        let oneFree = scheduler.dueLimits(now: Self.now)
        #expect(oneFree["land"] == 1, "only the free slot: the claim itself leaves out what is in flight")
        #expect(scheduler.inFlight[1] == "land", "answered but not yet settled: still left out of claims")
        _ = scheduler.finished(1, agency: "land", health: .healthy, now: Self.now)
        #expect(scheduler.inFlight[1] == nil)
    }

    @Test func dossiersBeingPlannedAreLeftOutOfClaims() {
        var scheduler = Self.scheduler()
        scheduler.beginPlanning("L1")
        scheduler.beginPlanning("L1")
        #expect(Set(scheduler.planning.keys) == ["L1"])
        scheduler.endPlanning("L1")
        #expect(Set(scheduler.planning.keys) == ["L1"], "two overlapping plans: still planning")
        scheduler.endPlanning("L1")
        #expect(scheduler.planning.isEmpty)
        #expect(scheduler.isQuiet)
    }

    /// Technical failures open the circuit once; an open circuit gets nothing, and claims
    /// made just before it opened are handed back; it probes after `openSeconds`.
    @Test func anOpenCircuitStopsDispatchHandsBackAndProbesLater() {
        var scheduler = Self.scheduler()
        let first = [F.record(id: 1, agency: "land", state: .ready), F.record(id: 2, agency: "land", state: .ready)]
        _ = scheduler.start(first)
        let afterOne = scheduler.finished(1, agency: "land", health: .failing, now: Self.now)
        #expect(afterOne == nil)
        let late = F.record(id: 3, agency: "land", state: .ready)
        let allowed = scheduler.dueLimits(now: Self.now)
        #expect(allowed["land"] == 1, "one slot was freed")
        let afterTwo = scheduler.finished(2, agency: "land", health: .failing, now: Self.now)
        #expect(afterTwo == .opened(failures: 2))
        let started = scheduler.start([late])
        #expect(started.handBack.map(\.id) == [3] && started.send.isEmpty)
        let whileOpen = scheduler.dueLimits(now: Self.now)
        #expect(whileOpen["land"] == nil && scheduler.circuitStates["land"] == .open)
        #expect(scheduler.wakeTime(now: Self.now, nextDue: nil) == Self.now.adding(milliseconds: 1_000))
        let reopens = Self.now.adding(milliseconds: 10_000)
        #expect(scheduler.wakeTime(now: reopens.adding(milliseconds: -300), nextDue: nil) == reopens, "wakes when probes are let through")
        let halfOpen = scheduler.dueLimits(now: reopens)
        #expect(halfOpen["land"] == 1, "one half-open probe")
        _ = scheduler.start([late])
        let probed = scheduler.finished(3, agency: "land", health: .healthy, now: reopens)
        #expect(probed == .closed)
        let closed = scheduler.dueLimits(now: reopens)
        #expect(closed["land"] == 2)
    }

    @Test func reconcilesOfOneDossierAreSerialisedCoalescedAndDeferredWhilePlanning() {
        var scheduler = Self.scheduler()
        let first = scheduler.beginReconcile("A")
        let second = scheduler.beginReconcile("A"), third = scheduler.beginReconcile("A")
        #expect(first && !second && !third, "calls while one runs are coalesced")
        let again = scheduler.endReconcile("A"), done = scheduler.endReconcile("A")
        #expect(again && !done, "one more run for what was asked meanwhile, then released")
        #expect(scheduler.isQuiet)
        scheduler.beginPlanning("B")
        let duringPlan = scheduler.beginReconcile("B")
        #expect(!duringPlan, "the plan reconciles when it is done")
        scheduler.endPlanning("B")
        let afterPlan = scheduler.beginReconcile("B"), released = scheduler.endReconcile("B")
        #expect(afterPlan && !released)
    }

    @Test func wakesAtTheNextDueItemAtTheLatestInASecond() {
        let scheduler = Self.scheduler()
        #expect(scheduler.wakeTime(now: Self.now, nextDue: Self.now.adding(milliseconds: 250)) == Self.now.adding(milliseconds: 250))
        #expect(scheduler.wakeTime(now: Self.now, nextDue: Self.now.adding(milliseconds: 5_000)) == Self.now.adding(milliseconds: 1_000))
    }

    /// A reload keeps a circuit whose settings did not change.
    @Test func aReloadKeepsUnchangedCircuits() {
        var scheduler = Self.scheduler()
        _ = scheduler.start([F.record(id: 1, agency: "land", state: .ready), F.record(id: 2, agency: "land", state: .ready)])
        _ = scheduler.finished(1, agency: "land", health: .failing, now: Self.now)
        _ = scheduler.finished(2, agency: "land", health: .failing, now: Self.now)
        scheduler.reconfigure(["land": F.agency("land", maxConcurrent: 4)])
        #expect(scheduler.circuitStates == ["land": .open])
        scheduler.reconfigure(["land": F.agency("land", maxConcurrent: 4, failureThreshold: 9)])
        #expect(scheduler.circuitStates == ["land": .closed])
        let limits = scheduler.dueLimits(now: Self.now)
        #expect(limits == ["land": 4])
    }
}
