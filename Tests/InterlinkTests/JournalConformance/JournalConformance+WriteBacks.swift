import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: write-backs and purge")
struct JournalConformanceWriteBackTests {
    static func queue(_ journal: any Journal, _ code: String, version: Int = 1, body: String) async throws {
        var batch = JournalBatch()
        batch.writeBacks = [WriteBackRequest(dossierCode: code, dossierVersion: version, outcome: .completed, body: body)]
        try await journal.apply(batch)
    }

    /// Counts by state for `status` and `/metrics`; a replay of a dead one expects it still
    /// dead, so two replays racing each other resend it once.
    @Test(arguments: JournalBackend.all)
    func writeBacksAreCountedByStateAndADeadOneIsReplayedOnce(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            for code in ["A", "B", "C", "D"] { try await Self.queue(journal, code, body: #"{"outcome":"completed"}"#) }
            var batch = JournalBatch()
            let tried = Timestamp.now().adding(milliseconds: -60_000)
            batch.writeBackUpdates = [
                WriteBackUpdate(dossierCode: "B", sequence: 1, state: .pending, attempts: 2, nextAttemptAt: .now(), firstAttemptAt: tried, lastError: "HTTP 503"),
                WriteBackUpdate(dossierCode: "C", sequence: 1, state: .dead, attempts: 12, nextAttemptAt: nil, firstAttemptAt: tried, lastError: "HTTP 404"),
                WriteBackUpdate(dossierCode: "D", sequence: 1, state: .sent, attempts: 1, nextAttemptAt: nil, firstAttemptAt: .now(), lastError: nil),
            ]
            try await journal.apply(batch)
            let counts = try await journal.writeBackCounts()
            #expect(counts.pending == 1 && counts.retrying == 1 && counts.dead == 1 && counts.sent == 1)
            #expect(counts.oldestWaitingSince == tried, "the oldest waiting counts from its first attempt")
            let first = try await WriteBackReplay.run(WriteBackReplay.Selection(), reason: "register fixed", user: "anh", dryRun: false, journal: journal)
            let second = try await WriteBackReplay.run(WriteBackReplay.Selection(), reason: "again", user: "binh", dryRun: false, journal: journal)
            #expect(first.replayed.map(\.dossierCode) == ["C"] && second.replayed.isEmpty)
            let replayed = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "C", target: nil, limit: 1).first)
            #expect(replayed.state == .pending && replayed.attempts == 0 && replayed.lastError == nil)
            let events = try await journal.events(EventQuery(dossierCode: "C", limit: 10)).filter { $0.event.kind == .replay }
            #expect(events.count == 1 && events.first?.event.message.contains("anh") == true)
        }
    }

    /// The same body is queued once; a new body (or version) gets the next sequence and so a
    /// new idempotency key, and starts over as pending.
    @Test(arguments: JournalBackend.all)
    func aWriteBackIsKeyedByDossierVersionAndBody(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.queue(journal, "A", body: #"{"outcome":"completed"}"#)
            try await Self.queue(journal, "A", body: #"{"outcome":"completed"}"#)
            var record = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: nil, limit: 5).first)
            #expect(record.sequence == 1 && record.idempotencyKey == IdempotencyKeys.writeBack(dossierCode: "A", version: 1, body: #"{"outcome":"completed"}"#) && record.state == .pending && record.attempts == 0)
            var sent = JournalBatch()
            sent.writeBackUpdates = [WriteBackUpdate(dossierCode: "A", sequence: 1, state: .sent, attempts: 1, nextAttemptAt: nil,
                                                     firstAttemptAt: .now(), lastError: nil)]
            try await journal.apply(sent)
            try await Self.queue(journal, "A", body: #"{"outcome":"completed"}"#)
            #expect(try await journal.writeBacks(states: [.sent], dueBy: nil, dossierCode: "A", target: nil, limit: 5).count == 1, "a body already sent is not queued again")
            try await Self.queue(journal, "A", version: 2, body: #"{"outcome":"completed"}"#)
            record = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: nil, limit: 5).first)
            #expect(record.sequence == 2 && record.dossierVersion == 2 && record.idempotencyKey == IdempotencyKeys.writeBack(dossierCode: "A", version: 2, body: #"{"outcome":"completed"}"#))
            #expect(record.state == .pending && record.attempts == 0 && record.firstAttemptAt == nil)
        }
    }

    /// An attempt's result lands only on the sequence it was about; a newer body is untouched.
    @Test(arguments: JournalBackend.all)
    func writeBackResultsApplyToTheirSequenceOnlyAndFilter(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.queue(journal, "A", body: "1")
            try await Self.queue(journal, "A", body: "2")
            try await Self.queue(journal, "B", body: "1")
            var stale = JournalBatch()
            stale.writeBackUpdates = [WriteBackUpdate(dossierCode: "A", sequence: 1, state: .dead, attempts: 9, nextAttemptAt: nil,
                                                      firstAttemptAt: nil, lastError: "HTTP 404")]
            try await journal.apply(stale)
            #expect(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: "A", target: nil, limit: 5).map(\.body) == ["2"])
            var later = JournalBatch()
            later.writeBackUpdates = [WriteBackUpdate(dossierCode: "B", sequence: 1, state: .pending, attempts: 1,
                                                      nextAttemptAt: .now().adding(milliseconds: 60_000), firstAttemptAt: .now(), lastError: "HTTP 503")]
            try await journal.apply(later)
            #expect(try await journal.writeBacks(states: [.pending], dueBy: .now(), dossierCode: nil, target: nil, limit: 5).map(\.dossierCode) == ["A"])
            #expect(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: nil, target: nil, limit: 5).count == 2)
            #expect(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: nil, target: nil, limit: 1).count == 1)
        }
    }

    /// Only finished dossiers past the cut-off are candidates, oldest outcome first, once.
    @Test(arguments: JournalBackend.all)
    func purgeCandidatesAreFinishedVersionsPastTheCutOff(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            for (code, outcome) in [("A", DossierOutcome.completed), ("B", .inProgress), ("C", .cancelled), ("D", .needsReview), ("E", .notRouted)] {
                var batch = JournalBatch()
                batch.dossiers = [Conformance.snapshot(code)]
                batch.outcomes = [OutcomeChange(dossierCode: code, dossierVersion: 1, outcome: outcome)]
                try await journal.apply(batch)
            }
            let later = Timestamp.now().adding(milliseconds: 1_000)
            #expect(try await journal.purgeCandidates(before: later, limit: 10).map(\.code) == ["A", "C", "E"])
            #expect(try await journal.purgeCandidates(before: later, limit: 1).map(\.code) == ["A"])
            #expect(try await journal.purgeCandidates(before: Timestamp(millisecondsSinceEpoch: 0), limit: 10).isEmpty)
            try await Retention.purge([DossierKey(code: "A", version: 1)], reason: "test", journal: journal)
            #expect(try await journal.purgeCandidates(before: later, limit: 10).map(\.code) == ["C", "E"])
        }
    }

    /// Personal data goes; what the history and the audit chain need stays.
    @Test(arguments: JournalBackend.all)
    func purgeErasesPersonalDataAndKeepsTheHistory(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("A", payload: ["applicant": ["personalId": "079225263305"]])]
            batch.newTransfers = [Conformance.transfer("A")]
            batch.outcomes = [OutcomeChange(dossierCode: "A", dossierVersion: 1, outcome: .completed, reasons: ["reasons": ["x"]])]
            batch.writeBacks = [WriteBackRequest(dossierCode: "A", dossierVersion: 1, outcome: .completed, body: #"{"personalId":"079225263305"}"#)]
            batch.events = [Conformance.event("completed", code: "A")]
            let id = try #require(try await journal.apply(batch).transferIDs.first ?? nil)
            var done = TransferUpdate(id: id, state: .completed)
            done.receipt = "HT-1"
            done.result = ["personalId": "079225263305"]
            _ = try await Conformance.update(journal, done)
            try await Retention.purge([DossierKey(code: "A", version: 1)], reason: "retention", journal: journal)
            let dossier = try #require(try await journal.latestDossier(code: "A"))
            #expect(dossier.snapshot.payload == .null && dossier.reasons == nil && dossier.outcome == .completed)
            let transfer = try #require(try await journal.transfer(id: id))
            #expect(transfer.result == nil && transfer.state == .completed && transfer.receipt == "HT-1" && transfer.idempotencyKey == IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: "birth"))
            #expect(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: nil, limit: 1).first?.body == "{}")
            let events = try await journal.events(EventQuery())
            #expect(events.map(\.event.kind) == [.attempt, .content, .purge], "the completion's result hash rides a content event")
            #expect(try await AuditChain.verify(journal).firstBreak == nil)
        }
    }

    /// Each target is its own write-back of the dossier, with its own key; the portal's
    /// progress report is claimable only once the dossier sync of its version was acknowledged.
    @Test(arguments: JournalBackend.all)
    func theProgressReportWaitsForItsDossierSync(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var batch = JournalBatch()
            batch.writeBacks = [WriteBackTarget.register, .portalProgress, .portalDossier].map { target in
                WriteBackRequest(dossierCode: "A", dossierVersion: 1, outcome: .completed, body: #"{"to":"\#(target.rawValue)"}"#, target: target)
            }
            _ = try await journal.apply(batch)
            let all = try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: nil, limit: 10)
            #expect(Set(all.map(\.target)) == Set(WriteBackTarget.allCases))
            #expect(Set(all.map(\.idempotencyKey)).count == 3, "no two targets share a key")
            let portal = { WriteBackClaimRequest(owner: "a", dueBy: .now(), limit: 5, liveSince: Timestamp.now().adding(milliseconds: -15_000),
                                                 targets: [.portalDossier, .portalProgress]) }
            let first = try await journal.claimWriteBacks(portal())
            #expect(first.map(\.target) == [.portalDossier], "the progress waits for its dossier")
            var synced = WriteBackUpdate(dossierCode: "A", sequence: first[0].sequence, state: .sent, attempts: 1, nextAttemptAt: nil,
                                         firstAttemptAt: .now(), lastError: nil)
            synced.target = .portalDossier
            var settle = JournalBatch()
            settle.writeBackUpdates = [synced]
            #expect(try await journal.apply(settle).staleWriteBackUpdates.isEmpty)
            #expect(try await journal.claimWriteBacks(portal()).map(\.target) == [.portalProgress])
            #expect(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: "A", target: .register, limit: 10).count == 1,
                    "the register's write-back is untouched by the portal's")
            let counts = try await journal.writeBackCounts()
            #expect(counts.pending == 1 && counts.otherTargets[.portalDossier]?.sent == 1 && counts.otherTargets[.portalProgress]?.pending == 1)
            // A report that gave up is replayed like a write-back, under its key, and only it.
            let progress = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: .portalProgress, limit: 1).first)
            var dead = WriteBackUpdate(dossierCode: "A", sequence: progress.sequence, state: .dead, attempts: 12, nextAttemptAt: nil,
                                       firstAttemptAt: .now(), lastError: "HTTP 400")
            dead.target = .portalProgress
            var die = JournalBatch()
            die.writeBackUpdates = [dead]
            _ = try await journal.apply(die)
            var selection = WriteBackReplay.Selection()
            selection.dossierCodes = ["A"]
            let replay = try await WriteBackReplay.run(selection, reason: "the portal fixed its service", user: "admin", dryRun: false, journal: journal)
            #expect(replay.replayed.map(\.target) == [.portalProgress])
            #expect(replay.skipped.map(\.writeBack.target).sorted() == [.register, .portalDossier])
            let again = try await journal.writeBacks(states: [], dueBy: nil, dossierCode: "A", target: .portalProgress, limit: 1).first
            #expect(again?.state == .pending && again?.idempotencyKey == progress.idempotencyKey)
        }
    }
}
