import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: transfers, claims and due work")
struct JournalConformanceTransferTests {
    @Test(arguments: JournalBackend.all)
    func createsOneTransferPerDossierVersionAndStep(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("A", "health-card", "insurance", .waiting)])
            #expect(Set(ids).count == 2)
            var again = JournalBatch()
            again.newTransfers = [Conformance.transfer("A"), Conformance.transfer("A", step: "residence")]
            let result = try await journal.apply(again)
            #expect(result.transferIDs.first == .some(nil), "the same step again is ignored, so planning twice creates nothing")
            #expect(result.transferIDs.last != .some(nil))
            let record = try #require(try await journal.transfer(id: ids[0]))
            #expect(record.state == .ready && record.idempotencyKey == IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: "birth") && record.attempts == 0 && record.operation == "/births")
            #expect(try await journal.transfer(id: 999_999) == nil)
        }
    }

    /// Two writers expecting the same state: exactly one wins, and the loser's events are dropped.
    @Test(arguments: JournalBackend.all)
    func aClaimHoldsOnceAndStaleUpdatesLeaveNoEvent(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let id = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])[0]
            let winners = await withTaskGroup(of: Bool.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var claim = JournalBatch()
                        var update = TransferUpdate(id: id, state: .sending, expectedState: .ready)
                        update.attempts = 1
                        claim.transferUpdates = [update]
                        claim.events = [NewEvent(kind: .transferState, dossierCode: "A", transferID: id, message: "claimed by \(writer)"),
                                        NewEvent(kind: .daemon, message: "unrelated \(writer)")]
                        return (try? await journal.apply(claim))?.staleUpdates.isEmpty == true
                    }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(winners == 1)
            let events = try await journal.events(EventQuery())
            #expect(events.filter { $0.event.message.hasPrefix("claimed by") }.count == 1)
            #expect(events.filter { $0.event.message.hasPrefix("unrelated") }.count == 8)
            #expect(try await journal.transfer(id: id)?.state == .sending)
        }
    }

    /// A new version replaces a pending step only if that step was still pending: one claimed
    /// for sending meanwhile must not get a twin under another key.
    @Test(arguments: JournalBackend.all)
    func createsAReplacementOnlyWhenTheReplacedTransferWasCancelled(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let old = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])[0]
            var newer = JournalBatch()
            newer.dossiers = [Conformance.snapshot("A", version: 2)]
            try await journal.apply(newer)
            _ = try await Conformance.update(journal, TransferUpdate(id: old, state: .sending, expectedState: .ready))
            var plan = JournalBatch()
            plan.transferUpdates = [TransferUpdate(id: old, state: .cancelled, expectedState: .ready)]
            var replacement = Conformance.transfer("A", version: 2)
            replacement.replaces = old
            plan.newTransfers = [replacement]
            let result = try await journal.apply(plan)
            #expect(result.staleUpdates == [old] && result.transferIDs == [nil])
            #expect(try await journal.transfers(TransferQuery(states: [], dossierCode: "A")).map(\.state) == [.sending])
        }
    }

    /// Members left `nil` stay as they are; `.some(nil)` clears.
    @Test(arguments: JournalBackend.all)
    func updatesSetWhatTheyNameAndClearWhatTheyClear(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let id = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])[0]
            var failing = TransferUpdate(id: id, state: .retrying)
            failing.attempts = 2
            failing.nextAttemptAt = .some(Timestamp(millisecondsSinceEpoch: 5_000))
            failing.firstAttemptAt = .some(Timestamp(millisecondsSinceEpoch: 1_000))
            failing.lastError = .some("HTTP 503")
            _ = try await Conformance.update(journal, failing)
            var done = TransferUpdate(id: id, state: .completed)
            done.nextAttemptAt = .some(nil)
            done.lastError = .some(nil)
            done.receipt = "HT-1"
            done.result = ["certificateNo": "KS-1"]
            done.reasons = []
            done.idempotencyKey = "A:v1:birth:resend-1"
            _ = try await Conformance.update(journal, done)
            let record = try #require(try await journal.transfer(id: id))
            #expect(record.state == .completed && record.attempts == 2 && record.firstAttemptAt?.millisecondsSinceEpoch == 1_000)
            #expect(record.nextAttemptAt == nil && record.lastError == nil)
            #expect(record.receipt == "HT-1" && record.result?["certificateNo"] == "KS-1" && record.reasons == [])
            #expect(record.idempotencyKey == "A:v1:birth:resend-1")
        }
    }

    @Test(arguments: JournalBackend.all)
    func queriesTransfersByStateAgencyDossierAndDueTime(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("A", "land", "land", .waiting),
                                                           ("B", "birth", "civil-registry", .ready), ("C", "birth", "civil-registry", .ready)])
            var later = TransferUpdate(id: ids[2], state: .retrying)
            later.nextAttemptAt = .some(Timestamp.now().adding(milliseconds: 60_000))
            _ = try await Conformance.update(journal, later)
            var sooner = TransferUpdate(id: ids[3], state: .retrying)
            sooner.nextAttemptAt = .some(Timestamp.now().adding(milliseconds: -1_000))
            _ = try await Conformance.update(journal, sooner)
            #expect(try await journal.transfers(TransferQuery(states: [.waiting])).map(\.id) == [ids[1]])
            #expect(try await journal.transfers(TransferQuery(states: [], agency: "land")).map(\.id) == [ids[1]])
            #expect(try await journal.transfers(TransferQuery(states: [], dossierCode: "A")).map(\.id) == [ids[0], ids[1]])
            // Due now: those without a next attempt first, then by due time; the one due later is left out.
            let due = try await journal.transfers(TransferQuery(states: [.ready, .retrying], dueBy: .now()))
            #expect(due.map(\.id) == [ids[0], ids[3]])
            #expect(try await journal.transfers(TransferQuery(states: [], limit: 2)).count == 2)
        }
    }

    /// Due work comes retries, follow-ups and cancellations first (they have waited), by due
    /// time, then what was never sent, oldest first; nothing waiting, final or not yet due.
    @Test(arguments: JournalBackend.all)
    func dueTransfersComeScheduledFirstThenUnsentOldestFirst(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let states: [TransferState] = [.ready, .sending, .retrying, .accepted, .cancelling, .waiting, .completed, .retrying]
            let ids = try await Conformance.seed(journal, states.enumerated().map { ("D\($0.offset)", "birth", "civil-registry", .ready) })
            let now = Timestamp.now()
            let due: [Int64?] = [nil, nil, -3_000, -1_000, -2_000, nil, nil, 60_000]
            for (index, state) in states.enumerated() {
                var update = TransferUpdate(id: ids[index], state: state)
                update.nextAttemptAt = .some(due[index].map { now.adding(milliseconds: $0) })
                _ = try await Conformance.update(journal, update)
            }
            let found = try await journal.dueTransfers(dueBy: now, limits: ["civil-registry": 10])
            #expect(found.map(\.id) == [ids[2], ids[4], ids[3], ids[0], ids[1]])
            #expect(try await journal.dueTransfers(dueBy: now, limits: [:]).isEmpty)
        }
    }

    /// Each agency gets its own limit, so a backlog at one cannot crowd out another.
    @Test(arguments: JournalBackend.all)
    func dueTransfersRespectEachAgencysLimit(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var rows: [(code: String, step: String, agency: String, state: TransferState)] = (0..<50).map { ("L\($0)", "land", "land", .ready) }
            rows += [("I0", "card", "insurance", .ready), ("I1", "card", "insurance", .ready), ("C0", "birth", "civil-registry", .ready)]
            try await Conformance.seed(journal, rows)
            let due = try await journal.dueTransfers(dueBy: .now(), limits: ["land": 3, "insurance": 5, "civil-registry": 0])
            #expect(due.filter { $0.agency == "land" }.map(\.dossierCode) == ["L0", "L1", "L2"])
            #expect(due.filter { $0.agency == "insurance" }.count == 2)
            #expect(!due.contains { $0.agency == "civil-registry" })
        }
    }

    @Test(arguments: JournalBackend.all)
    func countsTransfersByAgencyAndStateWithOldestPendingAndLastCompletion(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .waiting),
                                                           ("C", "birth", "civil-registry", .ready), ("D", "land", "land", .waiting)])
            _ = try await Conformance.update(journal, TransferUpdate(id: ids[2], state: .completed))
            let counts = try await journal.transferCounts()
            #expect(counts.byAgency["civil-registry"] == [.ready: 1, .waiting: 1, .completed: 1])
            #expect(counts.byAgency["land"] == [.waiting: 1])
            #expect(counts.oldestPending["civil-registry"] != nil)
            #expect(counts.oldestPending["land"] == nil, "waiting transfers may be blocked for good; they are not pending work")
            #expect(counts.lastCompleted["civil-registry"] != nil && counts.lastCompleted["land"] == nil)
        }
    }

    /// The request as first sent is kept for resends and replays, forgotten on --rerender.
    @Test(arguments: JournalBackend.all)
    func theRequestAsSentIsKeptAndCanBeForgotten(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])
            var sent = TransferUpdate(id: ids[0], state: .retrying, expectedState: .ready)
            sent.request = .some(#"{"dossierCode":"A","child":{"fullName":"Nguyễn Văn An"}}"#)
            _ = try await Conformance.update(journal, sent)
            #expect(try await journal.transfer(id: ids[0])?.request?.contains("Nguyễn Văn An") == true)
            var forget = TransferUpdate(id: ids[0], state: .ready, expectedState: .retrying)
            forget.request = .some(nil)
            _ = try await Conformance.update(journal, forget)
            #expect(try await journal.transfer(id: ids[0])?.request == nil)
        }
    }

    /// "Oldest pending" counts from when the step first became ready: a retry or a receipt
    /// poll touches the row, but the wait goes on.
    @Test(arguments: JournalBackend.all)
    func theOldestPendingCountsFromWhenTheStepFirstBecameReady(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .waiting)])
            let beforeReady = Timestamp.now()
            _ = try await Conformance.update(journal, TransferUpdate(id: ids[0], state: .ready, expectedState: .waiting))
            let ready = try #require(try await journal.transferCounts().oldestPending["civil-registry"])
            #expect(ready >= beforeReady.adding(milliseconds: -1))
            // The clock must move for the retry to have a later time than the readiness.
            while Timestamp.now().millisecondsSinceEpoch <= ready.millisecondsSinceEpoch + 2 { await Task.yield() }
            var retry = TransferUpdate(id: ids[0], state: .retrying, expectedState: .ready)
            retry.nextAttemptAt = .some(.now())
            _ = try await Conformance.update(journal, retry)
            _ = try await Conformance.update(journal, TransferUpdate(id: ids[0], state: .ready, expectedState: .retrying))
            #expect(try await journal.transferCounts().oldestPending["civil-registry"] == ready, "the retry did not make it young again")
        }
    }

    @Test(arguments: JournalBackend.all)
    func theNextDueTimeIsTheEarliestFutureRetryFollowUpCancellationOrWriteBack(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            let now = Timestamp.now()
            #expect(try await journal.nextDueTime(after: now) == nil)
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .ready),
                                                           ("C", "birth", "civil-registry", .ready)])
            for (id, state, offset) in [(ids[0], TransferState.retrying, Int64(-5_000)), (ids[1], .cancelling, 9_000), (ids[2], .accepted, 7_000)] {
                var update = TransferUpdate(id: id, state: state)
                update.nextAttemptAt = .some(now.adding(milliseconds: offset))
                _ = try await Conformance.update(journal, update)
            }
            #expect(try await journal.nextDueTime(after: now) == now.adding(milliseconds: 7_000))
            var writeBack = JournalBatch()
            writeBack.writeBacks = [WriteBackRequest(dossierCode: "A", dossierVersion: 1, outcome: .completed, body: "{}")]
            try await journal.apply(writeBack)
            let queued = try #require(try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: "A", target: nil, limit: 1).first)
            var retry = JournalBatch()
            retry.writeBackUpdates = [WriteBackUpdate(dossierCode: "A", sequence: queued.sequence, state: .pending, attempts: 1,
                                                      nextAttemptAt: now.adding(milliseconds: 3_000), firstAttemptAt: now, lastError: "HTTP 503")]
            try await journal.apply(retry)
            #expect(try await journal.nextDueTime(after: now) == now.adding(milliseconds: 3_000))
        }
    }
}
