@testable import Interlink
import InterlinkTestSupport
import Testing

/// A journal read that fails for a moment must neither kill a transfer nor decide a
/// dossier's outcome from data that was never read.
@Suite("Journal faults: a failed read loses nothing and decides nothing")
struct JournalFaultTests {
    static func config() throws -> InterlinkConfig {
        try InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: [:])
    }

    /// A birth dossier with both steps completed and results that agree with it.
    static func completedBirth(_ journal: any Journal) async throws {
        let fixture = try JSONParser.parse(FileBytes.read(Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json") ?? [])
        let payload = try #require(fixture["dossier"])
        let child = try #require(payload["form"]?["child"])
        var batch = JournalBatch()
        batch.dossiers = [DossierSnapshot(code: "A", version: 1, procedureCode: "1.001193", updatedAt: "2025-11-20T02:15:03.120Z", payload: payload)]
        batch.plannedDossiers = [DossierKey(code: "A", version: 1)]
        batch.newTransfers = [Conformance.transfer("A"), Conformance.transfer("A", step: "health-card", agency: "insurance")]
        let ids = try await journal.apply(batch).transferIDs.map { try #require($0) }
        var done = JournalBatch()
        for (id, result) in zip(ids, [["fullName": child["fullName"]!, "dateOfBirth": child["dateOfBirth"]!],
                                      ["holderName": child["fullName"]!, "dateOfBirth": child["dateOfBirth"]!]] as [JSONValue]) {
            var update = TransferUpdate(id: id, state: .completed)
            update.result = result
            done.transferUpdates.append(update)
        }
        done.touchedDossiers = ["A"]
        try await journal.apply(done)
    }

    /// Regression: the checks once ran against an empty payload when its read failed, and
    /// wrote a false needs-review back to the register.
    @Test func aFailedPayloadReadLeavesTheDossierToBeReconciledAgain() async throws {
        let fixture = try JournalBackend.sqlite.makeFixture()
        try await Self.completedBirth(fixture.journal)
        let flaky = FaultyJournal(fixture.journal, failing: [.dossier])
        let step = ReconcileStep(journal: flaky, logger: Logger(level: .error, sink: MemoryLogSink()), counters: SyncCounters())
        #expect(try await step.run("A", config: Self.config()) == ReconcileStep.Result())
        let untouched = try #require(try await fixture.journal.latestDossier(code: "A"))
        #expect(untouched.outcome == .inProgress && untouched.pendingChanges == 1)
        #expect(try await fixture.journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: nil, limit: 1).isEmpty)
        #expect(try await step.run("A", config: Self.config()).writeBackQueued)
        let settled = try #require(try await fixture.journal.latestDossier(code: "A"))
        #expect(settled.outcome == .completed && settled.pendingChanges == 0)
        await fixture.close()
    }

    /// Regression: a push whose body could not be read from the journal used to die.
    @Test func aPushWhoseBodyCannotBeReadIsRetriedNotKilled() async throws {
        let fixture = try JournalBackend.sqlite.makeFixture()
        let config = try Self.config()
        var batch = JournalBatch()
        batch.dossiers = [DossierSnapshot(code: "A", version: 1, procedureCode: "1.001193", updatedAt: "2025-11-20T02:15:03.120Z", payload: [:])]
        batch.newTransfers = [Conformance.transfer("A")]
        try await fixture.journal.apply(batch)
        let flaky = FaultyJournal(fixture.journal, failing: [.dossierWithTransfers])
        let agency = try #require(config.agencies["civil-registry"])
        let instance = DaemonInstance.current(timeoutSeconds: 60)
        let claims = await Dispatcher(journal: flaky, logger: Logger(level: .error, sink: MemoryLogSink()))
            .claim(limits: ["civil-registry": 1], excluding: [], planning: [], agencies: config.agencies, routes: config.routes, instance: instance, now: .now())
        let claim = try #require(claims.first)
        let http = try HTTPClient(maxConnections: 1)
        // Never reached: nothing is sent without a body.
        let client = DialectAgencyClient(endpoint: EndpointClient(name: "civil-registry", config: EndpointConfig(baseURL: "http://127.0.0.1:9"), http: http))
        let job = TransferJob(transfer: claim.transfer, agency: agency, client: client, journal: flaky, logger: Logger(level: .error, sink: MemoryLogSink()),
                              claimLoss: ClaimLoss(logger: Logger(level: .error, sink: MemoryLogSink())), answered: {}, work: claim.work)
        let report = await job.run()
        http.shutdown()
        #expect(report.transfer.state == .retrying && report.requests == 0 && report.health == .neutral)
        let stored = try #require(try await fixture.journal.transfer(id: claim.transfer.id))
        #expect(stored.state == .retrying && stored.lastError?.contains("journal") == true && stored.nextAttemptAt != nil)
        await fixture.close()
    }
}
