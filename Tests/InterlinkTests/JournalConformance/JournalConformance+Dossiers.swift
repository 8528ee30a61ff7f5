import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: batches, dossiers and the cursor")
struct JournalConformanceDossierTests {
    @Test(arguments: JournalBackend.all)
    func storesEachDossierVersionOnceAndKeepsTheFirstPayload(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A"), Conformance.snapshot("B")]
            #expect(try await journal.apply(batch).dossierInserted == [true, true])
            batch.dossiers = [Conformance.snapshot("A", payload: ["changed": true]), Conformance.snapshot("A", version: 2),
                              Conformance.snapshot("A", version: 2)]
            #expect(try await journal.apply(batch).dossierInserted == [false, true, false])
            #expect(try await journal.dossier(code: "A", version: 1)?.snapshot.payload["changed"] == nil)
            #expect(try await journal.latestDossier(code: "A")?.snapshot.version == 2)
            #expect(try await journal.dossier(code: "A", version: 3) == nil)
            #expect(try await journal.latestDossier(code: "Z") == nil)
        }
    }

    /// A batch commits whole or not at all: a transfer for a dossier never stored breaks it,
    /// and nothing of it (dossier, cursor, events, metadata) remains.
    @Test(arguments: JournalBackend.all)
    func aFailingBatchLeavesNothingBehind(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A")]
            batch.cursor = RegisterCursor(updatedSince: "2025-11-20T02:15:03.120Z", afterCode: "A")
            batch.newTransfers = [Conformance.transfer("ghost")]
            batch.events = [Conformance.event("never")]
            batch.metadata = ["k": "v"]
            await #expect(throws: JournalError.self) { try await journal.apply(batch) }
            #expect(try await journal.latestDossier(code: "A") == nil)
            #expect(try await journal.cursor() == nil)
            #expect(try await journal.events(EventQuery()).isEmpty)
            #expect(try await journal.metadata("k") == nil)
        }
    }

    /// Batches applied side by side are committed together where the backend can, yet one
    /// bad batch fails alone and the event sequence stays gap-free.
    @Test(arguments: JournalBackend.all)
    func concurrentBatchesCommitAndAFailingOneFailsAlone(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        var batch = JournalBatch()
                        if index == 77 {
                            batch.newTransfers = [Conformance.transfer("ghost")]
                        } else {
                            batch.dossiers = [Conformance.snapshot("D\(index)")]
                            batch.newTransfers = [Conformance.transfer("D\(index)")]
                        }
                        batch.events = [NewEvent(kind: .dossierSeen, dossierCode: "D\(index)", message: "seen")]
                        return (try? await journal.apply(batch)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 199)
            let events = try await journal.events(EventQuery(limit: 1_000))
            #expect(events.map(\.sequence) == Array(1...199))
            #expect(try await AuditChain.verify(journal).firstBreak == nil)
        }
    }

    @Test(arguments: JournalBackend.all)
    func aClosedJournalRefusesWritesAsClosed(backend: JournalBackend) async throws {
        let fixture = try backend.makeFixture()
        await fixture.close()
        await #expect { try await fixture.journal.apply(JournalBatch()) } throws: { ($0 as? JournalError)?.code == .closed }
    }

    @Test(arguments: JournalBackend.all)
    func theCursorStartsEmptyAndMovesOnlyWithItsBatch(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            #expect(try await journal.cursor() == nil)
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A")]
            batch.cursor = RegisterCursor(updatedSince: "2025-11-20T02:15:03.120Z", afterCode: "A")
            try await journal.apply(batch)
            batch.cursor = RegisterCursor(updatedSince: "2025-11-21T00:00:00.000Z", afterCode: "B")
            try await journal.apply(batch)
            #expect(try await journal.cursor() == RegisterCursor(updatedSince: "2025-11-21T00:00:00.000Z", afterCode: "B"))
            try await journal.apply(JournalBatch())
            #expect(try await journal.cursor()?.afterCode == "B")
        }
    }

    @Test(arguments: JournalBackend.all)
    func readsADossierWithAllItsTransfersWithOrWithoutPayload(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A"), Conformance.snapshot("A", version: 2)]
            batch.newTransfers = [Conformance.transfer("A"), Conformance.transfer("A", version: 2, step: "health-card", agency: "insurance")]
            try await journal.apply(batch)
            let latest = try await journal.dossierWithTransfers(code: "A", version: nil, payload: false)
            #expect(latest.dossier?.snapshot.version == 2 && latest.dossier?.snapshot.payload == .null)
            #expect(latest.transfers.map(\.step) == ["birth", "health-card"])
            let first = try await journal.dossierWithTransfers(code: "A", version: 1, payload: true)
            #expect(first.dossier?.snapshot.payload["version"] == 1)
            #expect(first.transfers.count == 2, "all versions' transfers come with any version")
            let none = try await journal.dossierWithTransfers(code: "Z", version: nil, payload: true)
            #expect(none.dossier == nil && none.transfers.isEmpty)
        }
    }

    /// What a crash may have interrupted: versions not planned, and changes not reconciled.
    @Test(arguments: JournalBackend.all)
    func listsDossiersNeedingAttentionInKeyOrderAndPages(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = ["C", "A", "B", "D"].map { Conformance.snapshot($0) }
            batch.plannedDossiers = [DossierKey(code: "B", version: 1), DossierKey(code: "D", version: 1)]
            batch.touchedDossiers = ["D"]
            try await journal.apply(batch)
            let all = try await journal.dossiersNeedingAttention(after: nil, limit: 10)
            #expect(all.map(\.snapshot.code) == ["A", "C", "D"])
            #expect(all.map(\.planned) == [false, false, true])
            #expect(all.last?.pendingChanges == 1)
            let page = try await journal.dossiersNeedingAttention(after: DossierKey(code: "A", version: 1), limit: 1)
            #expect(page.map(\.snapshot.code) == ["C"])
        }
    }

    /// Changes count on the newest version; a reconciliation takes back what it saw, and
    /// settles older versions whole.
    @Test(arguments: JournalBackend.all)
    func touchedChangesAreTakenBackOnlyAsFarAsReconciled(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A")]
            batch.plannedDossiers = [DossierKey(code: "A", version: 1)]
            batch.touchedDossiers = ["A", "A", "A"]
            try await journal.apply(batch)
            var mark = JournalBatch()
            mark.reconciledDossiers = [ReconciledMark(key: DossierKey(code: "A", version: 1), changesSeen: 2)]
            try await journal.apply(mark)
            #expect(try await journal.latestDossier(code: "A")?.pendingChanges == 1)
            var newer = JournalBatch()
            newer.dossiers = [Conformance.snapshot("A", version: 2)]
            newer.plannedDossiers = [DossierKey(code: "A", version: 2)]
            newer.touchedDossiers = ["A"]
            try await journal.apply(newer)
            mark.reconciledDossiers = [ReconciledMark(key: DossierKey(code: "A", version: 2), changesSeen: 1)]
            try await journal.apply(mark)
            #expect(try await journal.dossier(code: "A", version: 1)?.pendingChanges == 0)
            #expect(try await journal.dossier(code: "A", version: 2)?.pendingChanges == 0)
            #expect(try await journal.dossiersNeedingAttention(after: nil, limit: 10).isEmpty)
        }
    }

    @Test(arguments: JournalBackend.all)
    func outcomesFlagsAndCountsFollowTheNewestVersion(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A"), Conformance.snapshot("A", version: 2), Conformance.snapshot("B")]
            batch.outcomes = [OutcomeChange(dossierCode: "A", dossierVersion: 1, outcome: .failed),
                              OutcomeChange(dossierCode: "A", dossierVersion: 2, outcome: .needsReview, reasons: ["reasons": ["x"]]),
                              OutcomeChange(dossierCode: "B", dossierVersion: 1, outcome: .completed)]
            var flags = DossierFlags()
            flags.changedAfterSteps = ["birth"]
            flags.cancelled = true
            batch.flags = [FlagsChange(dossierCode: "A", dossierVersion: 2, flags: flags)]
            try await journal.apply(batch)
            let latest = try #require(try await journal.latestDossier(code: "A"))
            #expect(latest.outcome == .needsReview && latest.reasons?["reasons"] == ["x"] && latest.flags == flags)
            #expect(try await journal.dossierCounts() == [.needsReview: 1, .completed: 1])
        }
    }

    @Test(arguments: JournalBackend.all)
    func listsNewestVersionsNewestFirstByOutcomeProcedureAndTime(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            for (code, procedure) in [("A", "1.001193"), ("B", "1.011537"), ("C", "1.001193")] {
                var batch = JournalBatch()
                batch.dossiers = [Conformance.snapshot(code, procedure: procedure)]
                try await journal.apply(batch)
            }
            var newer = JournalBatch()
            newer.dossiers = [Conformance.snapshot("A", version: 2)]
            newer.outcomes = [OutcomeChange(dossierCode: "A", dossierVersion: 2, outcome: .completed)]
            try await journal.apply(newer)
            let all = try await journal.dossiers(outcome: nil, procedure: nil, since: nil, limit: 10)
            #expect(Set(all.map(\.snapshot.code)) == ["A", "B", "C"] && all.first { $0.snapshot.code == "A" }?.snapshot.version == 2)
            #expect(try await journal.dossiers(outcome: .completed, procedure: nil, since: nil, limit: 10).map(\.snapshot.code) == ["A"])
            #expect(Set(try await journal.dossiers(outcome: nil, procedure: "1.001193", since: nil, limit: 10).map(\.snapshot.code)) == ["A", "C"])
            #expect(try await journal.dossiers(outcome: nil, procedure: nil, since: .now().adding(milliseconds: 60_000), limit: 10).isEmpty)
            #expect(try await journal.dossiers(outcome: nil, procedure: nil, since: nil, limit: 2).count == 2)
        }
    }

    @Test(arguments: JournalBackend.all)
    func metadataIsSetAndOverwritten(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            #expect(try await journal.metadata("heartbeat") == nil)
            var batch = JournalBatch()
            batch.metadata = ["heartbeat": "1", "daemon": "running"]
            try await journal.apply(batch)
            batch.metadata = ["heartbeat": "2"]
            try await journal.apply(batch)
            #expect(try await journal.metadata("heartbeat") == "2")
            #expect(try await journal.metadata("daemon") == "running")
        }
    }

    @Test(arguments: JournalBackend.all)
    func aNewerSchemaIsRefusedWhileCommittedDataSurvivesReopening(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("KEPT")]
            try await fixture.journal.apply(batch)
            let reopened = try fixture.reopen()
            #expect(try await reopened.latestDossier(code: "KEPT") != nil, "another process sees what was committed")
            await reopened.close()
            try fixture.setSchemaVersion(99)
            #expect { try fixture.reopen() } throws: { error in
                guard let error = error as? JournalError else { return false }
                return error.code == .schemaTooNew && error.description.contains("upgrade Interlink")
            }
        }
    }
}
