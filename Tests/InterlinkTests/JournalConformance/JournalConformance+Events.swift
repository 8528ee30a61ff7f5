import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: events")
struct JournalConformanceEventTests {
    /// Events are kept for good, so the journal masks them itself, whoever wrote them.
    @Test(arguments: JournalBackend.all)
    func eventsAreMaskedBeforeTheyAreStored(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            var batch = JournalBatch()
            batch.events = [NewEvent(kind: .attempt, dossierCode: "A", message: "rejected: personal ID 079225263305 unknown",
                                     detail: ["personalId": "079225263305", "fullName": "Nguyễn Văn An"])]
            try await fixture.journal.apply(batch)
            let stored = try #require(try await fixture.journal.events(EventQuery()).first)
            #expect(!stored.event.message.contains("079225263305"))
            #expect(stored.event.detail?["personalId"] != "079225263305" && stored.event.detail?["fullName"] != "Nguyễn Văn An")
        }
    }

    @Test(arguments: JournalBackend.all)
    func filtersEventsLikeTheSyncLog(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            for (index, level) in [LogLevel.info, .warning, .error, .debug].enumerated() {
                batch.events.append(NewEvent(at: Timestamp(millisecondsSinceEpoch: Int64(index) * 1_000), level: level, kind: .attempt,
                                             dossierCode: index % 2 == 0 ? "A" : "B", agency: index < 2 ? "land" : "insurance",
                                             message: "event \(index)", detail: ["i": .number(Double(index))]))
            }
            try await journal.apply(batch)
            #expect(try await journal.events(EventQuery(dossierCode: "A")).map(\.event.message) == ["event 0", "event 2"])
            #expect(try await journal.events(EventQuery(agency: "land")).count == 2)
            #expect(try await journal.events(EventQuery(minimumLevel: .warning)).map(\.event.level) == [.warning, .error])
            #expect(try await journal.events(EventQuery(since: Timestamp(millisecondsSinceEpoch: 1_000),
                                                        until: Timestamp(millisecondsSinceEpoch: 2_000))).count == 2)
            let last = try await journal.events(EventQuery(limit: 1))
            #expect(last.map(\.event.message) == ["event 3"], "the newest events, oldest first")
            #expect(try await journal.events(EventQuery(afterSequence: last[0].sequence)).isEmpty)
            #expect(last.first?.event.detail?["i"] == 3)
            #expect(try await journal.events(EventQuery(limit: 3)).map(\.sequence) == [2, 3, 4])
        }
    }

    /// Every event, from every batch and every process, takes the next sequence number and
    /// links to the one before.
    @Test(arguments: JournalBackend.all)
    func sequencesStayContiguousAcrossBatchesAndProcesses(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            var batch = JournalBatch()
            batch.events = [Conformance.event("one"), Conformance.event("two")]
            try await fixture.journal.apply(batch)
            let other = try fixture.reopen()
            batch.events = [Conformance.event("three")]
            try await other.apply(batch)
            await other.close()
            batch.events = [Conformance.event("four")]
            try await fixture.journal.apply(batch)
            let events = try await fixture.journal.events(EventQuery())
            #expect(events.map(\.sequence) == [1, 2, 3, 4])
            #expect(events.map(\.event.message) == ["one", "two", "three", "four"])
            let verification = try await AuditChain.verify(fixture.journal)
            #expect(verification.firstBreak == nil && verification.events == 4 && verification.tip.sequence == 4)
        }
    }

    /// The audit entries are the stored rows in order, with their hashes, paged by sequence.
    @Test(arguments: JournalBackend.all)
    func auditEntriesPageTheStoredEventsInOrder(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            var batch = JournalBatch()
            batch.events = (1...7).map { Conformance.event("e\($0)", code: "A", level: .notice) }
            try await fixture.journal.apply(batch)
            let first = try await fixture.journal.auditEntries(after: 0, limit: 3)
            #expect(first.map(\.sequence) == [1, 2, 3])
            #expect(first[0].level == "notice" && first[0].kind == "attempt" && first[0].dossierCode == "A" && first[0].hash?.count == 32)
            #expect(try await fixture.journal.auditEntries(after: 3, limit: 10).map(\.sequence) == [4, 5, 6, 7])
            #expect(try await fixture.journal.auditEntries(after: 7, limit: 10).isEmpty)
            let paged = try await AuditChain.verify(fixture.journal, pageSize: 2)
            let last = try await fixture.journal.auditEntries(after: 6, limit: 1).first
            #expect(paged.firstBreak == nil && paged.events == 7 && paged.tip.hash == last?.hash)
        }
    }
}
