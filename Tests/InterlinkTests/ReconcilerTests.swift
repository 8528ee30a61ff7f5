import Interlink
import InterlinkTestSupport
import Testing

@Suite("Reconciler and register pages")
struct ReconcilerTests {
    static let route: RouteConfig = {
        let config = try! InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: [:])
        return config.route(forProcedure: "1.001193")!
    }()

    static func transfer(_ step: String, _ state: TransferState, result: JSONValue? = nil, reasons: JSONValue? = nil) -> TransferRecord {
        TransferRecord(id: 1, dossierCode: "D", dossierVersion: 1, step: step, agency: "a", operation: "/x", state: state,
                       idempotencyKey: "k", attempts: 1, nextAttemptAt: nil, firstAttemptAt: nil, receipt: "R", result: result,
                       reasons: reasons, lastError: "boom", createdAt: .now(), updatedAt: .now())
    }

    static let dossier: JSONValue = ["form": ["child": ["dateOfBirth": "2025-11-09"]]]
    static let birth: JSONValue = ["fullName": "Trần Minh Khang", "dateOfBirth": "2025-11-09", "personalId": "096225001234"]

    func assess(_ transfers: [TransferRecord], flags: DossierFlags = DossierFlags()) -> DossierAssessment {
        Reconciler.assess(route: Self.route, dossier: Self.dossier,
                          transfers: Dictionary(uniqueKeysWithValues: transfers.map { ($0.step, $0) }), flags: flags)
    }

    @Test func completesWhenEveryStepCompletedAndResultsAgree() {
        let card: JSONValue = ["holderName": "trần  minh khang", "dateOfBirth": "2025-11-09"]
        let result = assess([Self.transfer("birth", .completed, result: Self.birth), Self.transfer("health-card", .completed, result: card)])
        #expect(result.outcome == .completed)
    }

    @Test func findsDiscrepanciesWithTheirDiff() {
        let card: JSONValue = ["holderName": "Tran Minh Khang", "dateOfBirth": "2025-11-10"]
        let result = assess([Self.transfer("birth", .completed, result: Self.birth), Self.transfer("health-card", .completed, result: card)])
        #expect(result.outcome == .needsReview)
        #expect(result.discrepancies.map(\.check) == ["card-holder-name", "card-date-of-birth"])
        #expect(result.discrepancies.first?.leftValue == "Tran Minh Khang")
        var resolved = DossierFlags()
        resolved.reviewResolution = "accept-agency"
        let settled = assess([Self.transfer("birth", .completed, result: Self.birth), Self.transfer("health-card", .completed, result: card)],
                             flags: resolved)
        #expect(settled.outcome == .completed)
    }

    @Test func ranksDeadOverRejectedOverInProgress() {
        let rejected = Self.transfer("birth", .rejected, reasons: [["pointer": "/child/dateOfBirth", "message": "future"]])
        #expect(assess([rejected, Self.transfer("health-card", .waiting)]).outcome == .supplementRequested)
        #expect(assess([rejected, Self.transfer("health-card", .waiting)]).reasons.first?["step"] == "birth")
        #expect(assess([rejected, Self.transfer("health-card", .dead)]).outcome == .failed)
        #expect(assess([Self.transfer("birth", .completed, result: Self.birth), Self.transfer("health-card", .accepted)]).outcome == .inProgress)
        var quarantined = DossierFlags()
        quarantined.quarantineReasons = ["/form/child/dateOfBirth: missing"]
        #expect(assess([], flags: quarantined).outcome == .quarantined)
        #expect(DossierOutcome.quarantined.registerOutcome == "supplement-requested")
    }

    @Test func flagsAVersionThatChangedAfterAStepWasAccepted() {
        var flags = DossierFlags()
        flags.changedAfterSteps = ["birth"]
        let card: JSONValue = ["holderName": "Trần Minh Khang", "dateOfBirth": "2025-11-09"]
        let result = assess([Self.transfer("birth", .completed, result: Self.birth), Self.transfer("health-card", .completed, result: card)],
                            flags: flags)
        #expect(result.outcome == .needsReview)
        #expect(result.reasons.first?["code"] == "version-changed")
    }

    @Test func writesBackTheContractsRecord() throws {
        let transfers = ["birth": Self.transfer("birth", .completed, result: Self.birth), "health-card": Self.transfer("health-card", .retrying)]
        let body = try #require(WriteBackBody.make(route: Self.route, version: 3, assessment: DossierAssessment(outcome: .inProgress, reasons: [], discrepancies: []),
                                                   transfers: transfers, at: Timestamp(millisecondsSinceEpoch: 0)))
        let record = try JSONParser.parse(body)
        #expect(record["dossierVersion"] == 3 && record["outcome"] == "in-progress")
        #expect(record["steps"]?[0]?["status"] == "completed" && record["steps"]?[0]?["reference"] == "R")
        #expect(record["steps"]?[1]?["status"] == "in-progress")
        #expect(WriteBackBody.make(route: Self.route, version: 1, assessment: DossierAssessment(outcome: .cancelled, reasons: [], discrepancies: []),
                                   transfers: [:], at: .now()) == nil)
    }

    /// A step that will not run because the one it needs was rejected is written back as
    /// not started, with why, and the rejection keeps the agency's code.
    @Test func aBlockedStepIsWrittenBackAsNotStartedWithWhy() throws {
        let rejection: JSONValue = [["code": "validation-failed", "message": "no", "pointer": "/form/child/dateOfBirth"]]
        let transfers = ["birth": Self.transfer("birth", .rejected, reasons: rejection), "health-card": Self.transfer("health-card", .waiting)]
        let body = try #require(WriteBackBody.make(route: Self.route, version: 1, assessment: DossierAssessment(outcome: .supplementRequested,
                                                                                                                reasons: [], discrepancies: []),
                                                   transfers: transfers, at: Timestamp(millisecondsSinceEpoch: 0)))
        let record = try JSONParser.parse(body)
        #expect(record["steps"]?[0]?["status"] == "rejected" && record["steps"]?[0]?["reasons"]?[0]?["code"] == "validation-failed")
        #expect(record["steps"]?[1]?["status"] == "not-started")
        #expect(record["steps"]?[1]?["reasons"]?[0]?["message"]?.stringValue?.contains("birth was rejected") == true)
    }

    @Test func skipsVersionsAlreadyStoredButStillAdvancesTheCursor() throws {
        let items = (1...3).map { #"{"code":"C\#($0)","form":{"nested":{"code":"X","version":99}},"procedureCode":"1.001193","#
            + #""updatedAt":"2025-11-20T01:00:0\#($0).000Z","version":1}"# }
        let page = Array((#"{"items":["# + items.joined(separator: ",") + #"],"next":null}"#).utf8)
        let parsed = try RegisterPageParser.parsePage(page) { code, version in code != "C2" && version == 1 }
        #expect(parsed.skipped == 2)
        #expect(parsed.items.count == 1)
        #expect(parsed.lastPosition == RegisterCursor(updatedSince: "2025-11-20T01:00:03.000Z", afterCode: "C3"))
    }

    @Test func isolatesMalformedEntriesOfARegisterPage() throws {
        let good = #"{"code":"A","version":1,"procedureCode":"1.001193","updatedAt":"2025-11-20T01:00:00.000Z","form":{}}"#
        let page = Array(#"{"items":["#.utf8) + Array(good.utf8) + Array(#",{"code":"B","code":"C"},{"code":"D","version":"x"},"#.utf8)
            + [0x7B, 0x22, 0x63, 0x6F, 0x64, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]
            + Array(#"],"next":{"updatedSince":"2025-11-20T01:00:00.000Z","afterCode":"D"}}"#.utf8)
        let parsed = try RegisterPageParser.parsePage(page)
        #expect(parsed.items.count == 4)
        guard case .dossier(let snapshot) = parsed.items[0] else { Issue.record("A should parse"); return }
        #expect(snapshot.code == "A")
        guard case .malformed(let code, _, let reason) = parsed.items[1] else { Issue.record("B is malformed"); return }
        #expect(code == "B" && reason.contains("duplicate key"))
        guard case .malformed(_, _, let types) = parsed.items[2] else { Issue.record("D is malformed"); return }
        #expect(types.contains("/version") && types.contains("/procedureCode"))
        guard case .malformed(_, _, let utf8) = parsed.items[3] else { Issue.record("invalid UTF-8 is malformed"); return }
        #expect(utf8.contains("UTF-8"))
        #expect(parsed.next?.afterCode == "D")
        #expect(throws: RegisterError.self) { try RegisterPageParser.parsePage(Array(#"{"items":[{"code":"X","form":{],"next":null}"#.utf8)) }
    }
}
