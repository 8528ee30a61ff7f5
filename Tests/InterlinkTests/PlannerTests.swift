@testable import Interlink
import InterlinkTestSupport
import Testing

/// The planner's decisions, from a dossier version and its earlier transfers, without a journal.
@Suite("Planner: a version's steps, quarantine, withdrawal")
struct PlannerTests {
    typealias F = TransferFixtures

    static func route() throws -> RouteConfig {
        let config = try InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: [:])
        return try #require(config.routes.first { $0.steps.count > 1 && $0.steps.contains { !$0.needs.isEmpty } })
    }

    static func dossier(_ route: RouteConfig, version: Int = 1, status: String = "received", payload: JSONValue? = nil) throws -> DossierSnapshot {
        let fixture = try JSONParser.parse(FileBytes.read(Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json") ?? [])["dossier"]
        guard case .object(var members) = payload ?? fixture ?? [:] else { return DossierSnapshot(code: "A", version: version, procedureCode: "", updatedAt: "", payload: .null) }
        members["status"] = .string(status)
        return DossierSnapshot(code: "A", version: version, procedureCode: route.procedureCodes[0], updatedAt: "2025-11-20T02:15:03.120Z",
                               payload: .object(members))
    }

    @Test func aFirstVersionGetsEveryStepReadyOnlyWhereNothingIsNeeded() throws {
        let route = try Self.route()
        let plan = Planner.decide(try Self.dossier(route), route: route, earlier: [], now: .now())
        #expect(plan.quarantined == nil && plan.changedAfterSteps.isEmpty)
        #expect(plan.batch.newTransfers.map(\.step) == route.steps.map(\.name))
        #expect(plan.batch.newTransfers.map(\.state) == route.steps.map { $0.needs.isEmpty ? TransferState.ready : .waiting })
        #expect(plan.batch.newTransfers.first?.idempotencyKey == IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: route.steps[0].name))
        #expect(plan.batch.plannedDossiers == [DossierKey(code: "A", version: 1)])
    }

    @Test func aDossierLackingWhatItsTemplatesReadIsQuarantinedBeforeAnyPush() throws {
        let route = try Self.route()
        let plan = Planner.decide(try Self.dossier(route, payload: ["code": "A", "form": [:]]), route: route, earlier: [], now: .now())
        #expect(plan.quarantined?.isEmpty == false)
        #expect(plan.batch.newTransfers.isEmpty)
        #expect(plan.batch.flags.first?.flags.quarantineReasons == plan.quarantined)
    }

    /// A step an earlier version took to an agency is kept and flagged; the others start over
    /// under the new version's keys, ready only on needs completed and not redone.
    @Test func aNewVersionKeepsWhatReachedAnAgencyAndRedoesTheRest() throws {
        let route = try Self.route()
        let first = route.steps[0], second = route.steps[1]
        let earlier = [F.record(id: 1, step: first.name, state: .completed), F.record(id: 2, step: second.name, state: .waiting)]
        let plan = Planner.decide(try Self.dossier(route, version: 2), route: route, earlier: earlier, now: .now())
        #expect(plan.changedAfterSteps == [first.name])
        #expect(plan.batch.transferUpdates.map(\.id) == [2] && plan.batch.transferUpdates.first?.state == .cancelled)
        let redone = try #require(plan.batch.newTransfers.first { $0.step == second.name })
        #expect(redone.replaces == 2 && redone.idempotencyKey == IdempotencyKeys.transfer(dossierCode: "A", version: 2, step: second.name))
        #expect(redone.state == (second.needs == [first.name] ? .ready : .waiting))
    }

    /// Review only when it matters: a step whose request would not change is kept without a
    /// flag (the new version completes); one whose request changes is flagged with the diff.
    @Test func aNewVersionFlagsOnlyStepsWhoseRequestWouldChange() throws {
        let route = try Self.route()
        let first = route.steps[0]
        let earlier = [F.record(id: 1, step: first.name, state: .completed)]
        let unchanged = Planner.decide(try Self.dossier(route, version: 2), route: route, earlier: earlier,
                                       requestChanges: [first.name: []], now: .now())
        #expect(unchanged.changedAfterSteps.isEmpty && unchanged.batch.flags.first?.flags.changedAfterSteps == [])
        let diff: [JSONValue] = [["pointer": "/residenceAddress", "before": "Số 1", "after": "Số 9"]]
        let changed = Planner.decide(try Self.dossier(route, version: 2), route: route, earlier: earlier,
                                     requestChanges: [first.name: diff], now: .now())
        #expect(changed.changedAfterSteps == [first.name])
        #expect(changed.batch.flags.first?.flags.requestChanges == [first.name: diff])
    }

    @Test func aRequestDiffNamesEachChangedFieldMasked() {
        let before: JSONValue = ["dossierCode": "A", "mother": ["fullName": "Lê Thị Hoa", "personalId": "079190001234"], "residenceAddress": "Số 1"]
        let after: JSONValue = ["dossierCode": "A", "mother": ["fullName": "Lê Thị Hòa", "personalId": "079190001234"], "residenceAddress": "Số 9"]
        let diffs = RequestDiff.differences(before, after)
        #expect(diffs.map { $0["pointer"]?.stringValue } == ["/mother/fullName", "/residenceAddress"])
        #expect(diffs.first?["before"] != "Lê Thị Hoa", "names are masked: \(diffs)")
        #expect(RequestDiff.differences(before, before).isEmpty)
    }

    /// Withdrawal never sends anything from the planner: a receipt becomes a cancellation to send.
    @Test func aWithdrawnVersionCancelsAndQueuesReceiptCancellations() throws {
        let route = try Self.route()
        let earlier = [F.record(id: 1, step: route.steps[0].name, state: .accepted), F.record(id: 2, step: route.steps[1].name, state: .waiting)]
        let plan = Planner.decide(try Self.dossier(route, version: 2, status: "cancelled"), route: route, earlier: earlier, now: .now())
        #expect(plan.batch.transferUpdates.map(\.state) == [.cancelling, .cancelled])
        #expect(plan.batch.newTransfers.isEmpty)
        #expect(plan.batch.flags.first?.flags.cancelled == true)
    }

    @Test func anUnroutedDossierIsSkippedWithItsOutcome() throws {
        let batch = Planner.unrouted(DossierSnapshot(code: "X", version: 1, procedureCode: "9.999", updatedAt: "", payload: [:]))
        #expect(batch.outcomes.first?.outcome == .notRouted && batch.plannedDossiers.count == 1 && batch.touchedDossiers.isEmpty)
    }
}
