import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: audit verification")
struct JournalConformanceAuditTests {
    /// Ten events in three batches, verified clean; returns the tip.
    static func chain(_ fixture: any JournalFixture) async throws -> AuditChain.Link {
        for range in [1...3, 4...6, 7...10] {
            var batch = JournalBatch()
            batch.events = range.map { Conformance.event("event \($0)", code: "A", level: .info, at: Int64($0) * 1_000) }
            try await fixture.journal.apply(batch)
        }
        let clean = try await AuditChain.verify(fixture.journal)
        #expect(clean.firstBreak == nil && clean.events == 10 && clean.tip.sequence == 10)
        return clean.tip
    }

    static func firstBreak(_ fixture: any JournalFixture, recordedTip: [UInt8]? = nil) async throws -> Int64? {
        try await AuditChain.verify(fixture.journal, recordedTip: recordedTip).firstBreak?.sequence
    }

    @Test(arguments: JournalBackend.all)
    func anAlteredEventBreaksTheChainThere(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            _ = try await Self.chain(fixture)
            try fixture.execute("UPDATE events SET message = 'nothing happened' WHERE seq = 7")
            #expect(try await Self.firstBreak(fixture) == 7)
        }
    }

    /// A level the decoder does not know must not read back as the original.
    @Test(arguments: JournalBackend.all)
    func aLevelAlteredToAnUnknownValueBreaksTheChain(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            _ = try await Self.chain(fixture)
            try fixture.execute("UPDATE events SET level = 'bogus' WHERE seq = 4")
            #expect(try await Self.firstBreak(fixture) == 4)
        }
    }

    @Test(arguments: JournalBackend.all)
    func aDeletedEventBreaksTheChainAtTheGap(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            _ = try await Self.chain(fixture)
            try fixture.execute("DELETE FROM events WHERE seq = 7")
            let verification = try await AuditChain.verify(fixture.journal)
            #expect(verification.firstBreak?.sequence == 7 && verification.firstBreak?.reason.contains("missing") == true)
            #expect(verification.tip.sequence == 6)
        }
    }

    @Test(arguments: JournalBackend.all)
    func anInsertedEventBreaksTheChainWhereItWasInserted(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            _ = try await Self.chain(fixture)
            try fixture.execute("UPDATE events SET seq = seq + 1000 WHERE seq > 6")
            try fixture.execute("UPDATE events SET seq = seq - 999 WHERE seq > 1000")
            try fixture.execute("INSERT INTO events (seq, at, level, kind, message, hash) SELECT 7, at, level, kind, 'forged', hash FROM events WHERE seq = 6")
            #expect(try await Self.firstBreak(fixture) == 7)
        }
    }

    /// Cutting the newest events leaves a chain that verifies on its own; a tip recorded
    /// before the cut is what reveals it.
    @Test(arguments: JournalBackend.all)
    func aTruncatedTailIsCaughtByTheRecordedTip(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let tip = try await Self.chain(fixture)
            #expect(try await Self.firstBreak(fixture, recordedTip: tip.hash) == nil)
            try fixture.execute("DELETE FROM events WHERE seq > 8")
            #expect(try await Self.firstBreak(fixture) == nil, "without a recorded tip the shorter chain is consistent")
            let verification = try await AuditChain.verify(fixture.journal, recordedTip: tip.hash)
            #expect(verification.firstBreak?.sequence == 9)
            #expect(verification.firstBreak?.reason.contains("recorded tip") == true)
        }
    }

    /// A tip recorded earlier stays valid as the chain grows.
    @Test(arguments: JournalBackend.all)
    func anOlderRecordedTipStillVerifiesAsTheChainGrows(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let tip = try await Self.chain(fixture)
            var batch = JournalBatch()
            batch.events = [Conformance.event("later")]
            try await fixture.journal.apply(batch)
            let verification = try await AuditChain.verify(fixture.journal, recordedTip: tip.hash)
            #expect(verification.firstBreak == nil && verification.tip.sequence == 11)
            #expect(try await Self.firstBreak(fixture, recordedTip: [UInt8](repeating: 7, count: 32)) == 12)
        }
    }

    /// The audited rows are walked page by page from each page's last key: a row changed
    /// outside Interlink on a later page is found, and nothing is counted twice or skipped.
    @Test(arguments: JournalBackend.all)
    func theDataIsVerifiedPageByPage(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let codes = (1...7).map { "P\($0)" }
            for code in codes {
                var batch = JournalBatch()
                batch.dossiers = [Conformance.snapshot(code)]
                var transfer = Conformance.transfer(code, state: .completed)
                transfer.result = ["certificateNo": .string("C-\(code)")]
                batch.newTransfers = [transfer]
                batch.outcomes = [OutcomeChange(dossierCode: code, dossierVersion: 1, outcome: .completed)]
                batch.writeBacks = [WriteBackRequest(dossierCode: code, dossierVersion: 1, outcome: .completed, body: "{\"code\":\"\(code)\"}")]
                try await journal.apply(batch)
            }
            let clean = try await AuditChain.verify(journal, pageSize: 2)
            #expect(clean.isIntact && clean.unaudited == 0, "\(clean.dataProblems)")
            try fixture.execute("UPDATE dossiers SET outcome = 'failed' WHERE code = 'P7'")
            try fixture.execute("UPDATE writebacks SET body = '{}' WHERE dossier_code = 'P6'")
            let tampered = try await AuditChain.verify(journal, pageSize: 2)
            #expect(tampered.dataProblems.count == 2, "\(tampered.dataProblems)")
            #expect(tampered.dataProblems.contains { $0.contains("P7") } && tampered.dataProblems.contains { $0.contains("P6") })
        }
    }
}
