@testable import Interlink
import Testing

/// What holds a deadline, and when a queue counts as stalled: the pure rules behind
/// `overdue`, the overdue events and the incidents.
@Suite("Deadline status and incident rules")
struct DeadlineStatusTests {
    static let group = DeadlineRecord(dossierCode: "A", step: nil, route: "birth-group", agency: nil,
                                      startsAt: Timestamp(millisecondsSinceEpoch: 0), dueAt: Timestamp(millisecondsSinceEpoch: 10_000))
    static let cardStep = DeadlineRecord(dossierCode: "A", step: "health-card", route: "birth-group", agency: "insurance",
                                         startsAt: Timestamp(millisecondsSinceEpoch: 0), dueAt: Timestamp(millisecondsSinceEpoch: 10_000))
    static let order = ["birth", "health-card"]

    static func transfers(_ birth: TransferState, _ card: TransferState) -> [String: TransferRecord] {
        ["birth": TransferFixtures.record(id: 1, step: "birth", state: birth),
         "health-card": TransferFixtures.record(id: 2, step: "health-card", agency: "insurance", state: card)]
    }

    static func status(_ transfers: [String: TransferRecord], for deadline: DeadlineRecord = group, outcome: DossierOutcome = .inProgress,
                       pending: Bool = false, incidents: [IncidentRecord] = []) -> DeadlineStatus {
        DeadlineStatus.of(deadline, outcome: outcome, transfers: transfers, order: order, writeBackPending: pending, openIncidents: incidents)
    }

    @Test func saysWhichStepHoldsADossierAndWhy() {
        let slow = Self.status(Self.transfers(.completed, .accepted))
        #expect(!slow.done && slow.step == "health-card" && slow.agency == "insurance" && slow.reason == .awaitingDecision)
        #expect(slow.explanation.contains("the agency is slow"))
        let outage = IncidentRecord(id: 7, service: "insurance", kind: .circuitOpen, openedAt: Timestamp(millisecondsSinceEpoch: 0), closedAt: nil,
                                    attempts: 4, dossiers: 0, firstError: "HTTP 503", lastError: "connection refused")
        let down = Self.status(Self.transfers(.completed, .retrying), incidents: [outage])
        #expect(down.reason == .agencyDown && down.explanation.contains("incident #7") && down.explanation.contains("connection refused"))
        #expect(Self.status(Self.transfers(.completed, .retrying)).reason == .retrying)
        #expect(Self.status(Self.transfers(.ready, .waiting)).step == "birth", "the first step not done holds it")
        #expect(Self.status(Self.transfers(.dead, .waiting)).reason == .dead)
        #expect(Self.status(Self.transfers(.completed, .completed), outcome: .needsReview).reason == .needsReview)
        let citizen = Self.status(Self.transfers(.rejected, .waiting), outcome: .supplementRequested)
        #expect(citizen.onCitizensSide && !citizen.done)
        let writing = Self.status(Self.transfers(.completed, .completed), outcome: .completed, pending: true)
        #expect(writing.reason == .writeBackPending && writing.agency == "register")
        #expect(Self.status(Self.transfers(.completed, .completed), outcome: .completed).done)
    }

    @Test func aStepIsDoneWhenItsAgencyDecidedAndLateWhileItWaits() {
        #expect(Self.status(Self.transfers(.completed, .completed), for: Self.cardStep).done)
        #expect(Self.status(Self.transfers(.completed, .rejected), for: Self.cardStep).done, "a rejection is a decision")
        let waiting = Self.status(Self.transfers(.accepted, .waiting), for: Self.cardStep)
        #expect(!waiting.done && waiting.reason == .notStarted && waiting.explanation.contains("birth"))
        let (event, line) = DeadlineWatch.overdueEvent(Self.cardStep, status: Self.status(Self.transfers(.completed, .accepted), for: Self.cardStep), version: 1)
        #expect(line == "step overdue" && event.kind == .deadline && event.agency == "insurance" && event.step == "health-card")
        #expect(event.message.hasPrefix("step overdue: health-card at insurance") && event.message.contains("the agency is slow"))
        #expect(PersonalDataMasker.mask(event.message) == event.message, "the due time survives masking: \(event.message)")
    }

    @Test func aQueueStallsOnlyWhenWorkWaitsAndNothingCompletes() {
        let now = Timestamp(millisecondsSinceEpoch: 10_000_000)
        let old = now.adding(milliseconds: -3_600_000), recent = now.adding(milliseconds: -60_000)
        let counts = TransferCounts(byAgency: ["land": [.ready: 3], "insurance": [.retrying: 1], "civil-registry": [.accepted: 9], "police": [.ready: 1]],
                                    oldestPending: ["land": old, "insurance": old, "civil-registry": old, "police": recent],
                                    lastCompleted: ["insurance": recent])
        #expect(StalledQueues.stalled(counts, now: now, thresholdSeconds: 1_800, outages: []) == ["land"],
                "insurance completed lately, civil-registry only awaits decisions, police has not waited long")
        #expect(StalledQueues.stalled(counts, now: now, thresholdSeconds: 1_800, outages: ["land"]).isEmpty, "an open circuit is the incident already")
    }

    @Test func aCircuitsTransitionsAreTheIncidentsOpeningProbesAndClosing() {
        #expect(SyncEngine.incident(for: .opened(failures: 3), agency: "land", error: "HTTP 503") == .open(service: "land", kind: .circuitOpen, error: "HTTP 503"))
        #expect(SyncEngine.incident(for: .reopened(failures: 4), agency: "land", error: nil) == .failure(service: "land", kind: .circuitOpen, error: "the half-open probe failed"))
        #expect(SyncEngine.incident(for: .closed, agency: "land", error: nil) == .close(service: "land", kind: .circuitOpen))
        #expect(SyncEngine.incident(for: nil, agency: "land", error: nil) == nil)
    }

    @Test func workingTimeIsReadInWorkingDaysAndHours() {
        let day: Int64 = 8 * 3_600_000
        let fourHours: Int64 = 14_400_000
        #expect(TimeFilter.workingDuration("4h", dayLength: day) == fourHours)
        #expect(TimeFilter.workingDuration("2d", dayLength: day) == 2 * day)
        #expect(TimeFilter.workingDuration("1d1h30m", dayLength: day) == day + 5_400_000)
        #expect(TimeFilter.workingDuration("2w", dayLength: day) == nil)
        #expect(TimeFilter.workingDuration("soon", dayLength: day) == nil)
        #expect(TimeFilter.workingDuration("", dayLength: day) == nil)
    }
}
