import Interlink
import InterlinkTestSupport
import Testing

/// A withdrawn dossier is `cancelled` only while nothing an agency did contradicts it.
@Suite("Reconciler: the outcome of a withdrawn dossier")
struct WithdrawnOutcomeTests {
    static let route: RouteConfig = {
        let config = try! InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: [:])
        return config.route(forProcedure: "1.001193")!
    }()

    static func transfer(_ step: String, _ state: TransferState, reasons: JSONValue? = nil) -> TransferRecord {
        TransferRecord(id: 1, dossierCode: "D", dossierVersion: 1, step: step, agency: "a", operation: "/x", state: state,
                       idempotencyKey: "k", attempts: 1, nextAttemptAt: nil, firstAttemptAt: nil, receipt: "HT-1", result: nil,
                       reasons: reasons, lastError: "HTTP 503; gave up", createdAt: .now(), updatedAt: .now())
    }

    static func assess(_ transfers: [TransferRecord], resolved: Bool = false) -> DossierAssessment {
        var flags = DossierFlags()
        flags.cancelled = true
        if resolved { flags.reviewResolution = "accept-agency" }
        return Reconciler.assess(route: route, dossier: [:], transfers: Dictionary(uniqueKeysWithValues: transfers.map { ($0.step, $0) }), flags: flags)
    }

    static let tooLate: JSONValue = [["code": "withdrawal-too-late", "message": "decided first"]]

    @Test func cancelledWhileReceiptsAreBeingOrWereWithdrawn() {
        #expect(Self.assess([Self.transfer("birth", .completed), Self.transfer("health-card", .cancelling)]).outcome == .cancelled)
        #expect(Self.assess([Self.transfer("birth", .completed), Self.transfer("health-card", .cancelled)]).outcome == .cancelled)
    }

    @Test func anActTheAgencyTookBeforeItCouldWithdrawNeedsReview() {
        let result = Self.assess([Self.transfer("birth", .completed, reasons: Self.tooLate)])
        #expect(result.outcome == .needsReview)
        #expect(result.reasons.first?["code"] == "withdrawal-too-late" && result.reasons.first?["step"] == "birth")
        #expect(Self.assess([Self.transfer("birth", .accepted, reasons: Self.tooLate)]).outcome == .needsReview, "even before its decision is known")
        #expect(Self.assess([Self.transfer("birth", .completed, reasons: Self.tooLate)], resolved: true).outcome == .cancelled)
    }

    @Test func aReceiptThatCouldNotBeWithdrawnFails() {
        let result = Self.assess([Self.transfer("birth", .completed), Self.transfer("health-card", .dead)])
        #expect(result.outcome == .failed)
        #expect(result.reasons.first?["code"] == "withdrawal-failed")
        #expect(result.reasons.first?["message"]?.stringValue?.contains("HT-1") == true)
    }
}
