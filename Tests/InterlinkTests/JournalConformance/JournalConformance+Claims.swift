import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: claims, fencing, instances and leases")
struct JournalConformanceClaimTests {
    static let now = Timestamp.now()

    static func beat(_ id: String, at: Timestamp = now, stopped: Bool = false) -> InstanceBeat {
        InstanceBeat(id: id, host: "node", pid: 1, startedAt: at, heartbeatAt: at, stoppedAt: stopped ? at : nil, status: "ok")
    }

    static func register(_ journal: any Journal, _ beats: InstanceBeat...) async throws {
        var batch = JournalBatch()
        batch.instances = beats
        try await journal.apply(batch)
    }

    /// The dispatcher's own claim rule, enough for these tests: pushes become `sending`.
    static let sending: @Sendable (TransferRecord) -> (TransferUpdate, TransferRecord) = { record in
        var update = TransferUpdate(id: record.id, state: .sending, expectedState: record.state)
        update.attempts = record.attempts + 1
        var claimed = record
        claimed.state = .sending
        claimed.attempts += 1
        return (update, claimed)
    }

    static func request(_ owner: String, limits: [String: Int] = ["civil-registry": 10], excluding: Set<Int64> = [],
                        excludingDossiers: Set<String> = []) -> TransferClaimRequest {
        TransferClaimRequest(owner: owner, dueBy: .now(), limits: limits, excludingTransfers: excluding, excludingDossiers: excludingDossiers,
                             liveSince: now.adding(milliseconds: -15_000))
    }

    @Test(arguments: JournalBackend.all)
    func aClaimTakesEachDueTransferOnceUnderANewToken(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a"), Self.beat("b"))
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .ready)])
            let claimed = try await journal.claimTransfers(Self.request("a"), update: Self.sending)
            #expect(claimed.map(\.id) == ids && claimed.allSatisfy { $0.claimedBy == "a" && $0.claimToken == 1 && $0.state == .sending })
            let stored = try #require(try await journal.transfer(id: ids[0]))
            #expect(stored.claimedBy == "a" && stored.claimToken == 1 && stored.state == .sending && stored.attempts == 1)
            #expect(try await journal.claimTransfers(Self.request("b"), update: Self.sending).isEmpty, "what a live instance holds is not claimable")
            #expect(try await journal.claimTransfers(Self.request("a", excluding: Set(ids)), update: Self.sending).isEmpty,
                    "nor what the asker says it is working on")
            #expect(try await journal.claimTransfers(Self.request("a"), update: Self.sending).count == 2,
                    "its own rows it is not working on (a settle that failed) come back to it")
        }
    }

    /// Several daemons claiming at once: every transfer goes to exactly one.
    @Test(arguments: JournalBackend.all)
    func concurrentClaimersNeverShareATransfer(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a"), Self.beat("b"), Self.beat("c"))
            try await Conformance.seed(journal, (0..<60).map { ("D\($0)", "birth", "civil-registry", .ready) })
            let other = try fixture.reopen()
            let claims = await withTaskGroup(of: [Int64].self) { group in
                for (index, owner) in ["a", "b", "c"].enumerated() {
                    group.addTask {
                        var mine: [Int64] = []
                        for _ in 0..<10 {
                            // Each excludes what it is already working on, as the scheduler does.
                            let request = Self.request(owner, limits: ["civil-registry": 4], excluding: Set(mine))
                            let claimed = (try? await (index == 1 ? other : journal).claimTransfers(request, update: Self.sending)) ?? []
                            mine += claimed.map(\.id)
                        }
                        return mine
                    }
                }
                return await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            await other.close()
            #expect(claims.count == 60 && Set(claims).count == 60)
        }
    }

    /// A dead or stopped instance's claims are taken over, under a new token: its late
    /// settle is then refused, and so is its late claim's.
    @Test(arguments: JournalBackend.all)
    func aDeadInstancesClaimsAreTakenOverAndItsLateSettlesRefused(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("dead", at: Self.now.adding(milliseconds: -60_000)), Self.beat("live"), Self.beat("gone", stopped: true))
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .ready)])
            var take = Self.request("dead")
            take.liveSince = Self.now.adding(milliseconds: -120_000)
            let old = try await journal.claimTransfers(take, update: Self.sending)
            #expect(old.count == 2)
            let taken = try await journal.claimTransfers(Self.request("live"), update: Self.sending)
            #expect(taken.map(\.id) == ids && taken.allSatisfy { $0.claimToken == 2 })
            var late = TransferUpdate(id: ids[0], state: .completed, expectedState: .sending)
            late.fence = old[0].claimToken
            late.owner = .release
            #expect(try await Conformance.update(journal, late).staleUpdates == [ids[0]], "the old token is fenced out")
            late.fence = taken[0].claimToken
            #expect(try await Conformance.update(journal, late).staleUpdates.isEmpty)
            let settled = try #require(try await journal.transfer(id: ids[0]))
            #expect(settled.state == .completed && settled.claimedBy == nil)
        }
    }

    @Test(arguments: JournalBackend.all)
    func claimsRespectLimitsOrderAndPlanningExclusions(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a"))
            let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .ready),
                                                           ("C", "land", "land", .ready), ("D", "birth", "civil-registry", .ready)])
            var retry = TransferUpdate(id: ids[3], state: .retrying)
            retry.nextAttemptAt = .some(Timestamp.now().adding(milliseconds: -1_000))
            _ = try await Conformance.update(journal, retry)
            let claimed = try await journal.claimTransfers(Self.request("a", limits: ["civil-registry": 2], excludingDossiers: ["B"]), update: Self.sending)
            #expect(claimed.map(\.id) == [ids[3], ids[0]], "retries first, then the oldest unsent; the planned dossier and other agencies left")
        }
    }

    @Test(arguments: JournalBackend.all)
    func writeBacksAreClaimedOnceAndSettledUnderTheirToken(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a"), Self.beat("b"))
            var batch = JournalBatch()
            batch.writeBacks = ["A", "B"].map { WriteBackRequest(dossierCode: $0, dossierVersion: 1, outcome: .completed, body: "{}") }
            try await journal.apply(batch)
            let request = { (owner: String) in WriteBackClaimRequest(owner: owner, dueBy: .now(), limit: 5, liveSince: Self.now.adding(milliseconds: -15_000)) }
            let claimed = try await journal.claimWriteBacks(request("a"))
            #expect(claimed.map(\.dossierCode) == ["A", "B"] && claimed.allSatisfy { $0.claimedBy == "a" && $0.claimToken == 1 })
            #expect(try await journal.claimWriteBacks(request("b")).isEmpty)
            var settle = JournalBatch()
            var update = WriteBackUpdate(dossierCode: "A", sequence: 1, state: .sent, attempts: 1, nextAttemptAt: nil, firstAttemptAt: .now(), lastError: nil)
            update.fence = 0
            settle.writeBackUpdates = [update]
            settle.events = [NewEvent(kind: .writeBack, dossierCode: "A", dossierVersion: 1, message: "stored by the register and verified")]
            #expect(try await journal.apply(settle).staleWriteBackUpdates == ["A"], "an old token is fenced out")
            // The queueing left a content event (the bodies' hashes for the audit chain); the fenced settle adds none.
            let queued = try await journal.events(EventQuery())
            #expect(queued.map(\.event.kind) == [.content], "and so is its event, which would be false")
            settle.writeBackUpdates[0].fence = 1
            #expect(try await journal.apply(settle).staleWriteBackUpdates.isEmpty)
            #expect(try await journal.events(EventQuery()).count == 2)
            let sent = try #require(try await journal.writeBacks(states: [.sent], dueBy: nil, dossierCode: "A", target: nil, limit: 1).first)
            #expect(sent.claimedBy == nil)
        }
    }

    @Test(arguments: JournalBackend.all)
    func aLeaseHasOneLiveHolderAndPassesOnOnlyWhenItDiesOrLetsGo(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a"), Self.beat("b"))
            let live = Self.now.adding(milliseconds: -15_000)
            let first = try await journal.acquireLease("register-poll", holder: "a", liveSince: live)
            #expect(first != nil)
            #expect(try await journal.acquireLease("register-poll", holder: "a", liveSince: live) == first, "renewing keeps the token")
            #expect(try await journal.acquireLease("register-poll", holder: "b", liveSince: live) == nil, "a live holder keeps it")
            #expect(try await journal.leases().map(\.holder) == ["a"])
            let afterDeath = try await journal.acquireLease("register-poll", holder: "b", liveSince: Self.now.adding(milliseconds: 60_000))
            #expect(afterDeath == (first ?? 0) + 1, "a holder not live since the cut-off loses it, and the token grows")
            try await journal.releaseLease("register-poll", holder: "a")
            #expect(try await journal.leases().first?.holder == "b", "only the holder can let go")
            try await journal.releaseLease("register-poll", holder: "b")
            #expect(try await journal.acquireLease("register-poll", holder: "a", liveSince: live) == (afterDeath ?? 0) + 1)
        }
    }

    /// A batch whose precondition no longer holds writes nothing.
    @Test(arguments: JournalBackend.all)
    func aBatchWhosePreconditionFailsWritesNothing(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var seed = JournalBatch()
            seed.dossiers = [Conformance.snapshot("A")]
            seed.touchedDossiers = ["A"]
            try await journal.apply(seed)
            var outcome = JournalBatch()
            outcome.preconditions = [.dossierUnchanged(DossierKey(code: "A", version: 1), pendingChanges: 0, outcome: .inProgress)]
            outcome.outcomes = [OutcomeChange(dossierCode: "A", dossierVersion: 1, outcome: .completed)]
            outcome.events = [Conformance.event("completed", code: "A")]
            #expect(try await journal.apply(outcome).preconditionFailed)
            #expect(try await journal.latestDossier(code: "A")?.outcome == .inProgress)
            #expect(try await journal.events(EventQuery()).isEmpty)
            outcome.preconditions = [.dossierUnchanged(DossierKey(code: "A", version: 1), pendingChanges: 1, outcome: .inProgress)]
            let applied = try await journal.apply(outcome)
            #expect(!applied.preconditionFailed)
            #expect(try await journal.latestDossier(code: "A")?.outcome == .completed)
            #expect(try await journal.apply(outcome).preconditionFailed, "a second node's reconciliation from the same reading writes nothing")
            #expect(try await journal.events(EventQuery()).count == 1)
            try await Self.register(journal, Self.beat("a"))
            let token = try #require(try await journal.acquireLease("register-poll", holder: "a", liveSince: Self.now.adding(milliseconds: -15_000)))
            var page = JournalBatch()
            page.cursor = RegisterCursor(updatedSince: "2025-11-20T02:15:03.120Z", afterCode: "X")
            page.preconditions = [.lease(name: "register-poll", holder: "a", token: token + 1)]
            #expect(try await journal.apply(page).preconditionFailed)
            #expect(try await journal.cursor() == nil)
        }
    }

    @Test(arguments: JournalBackend.all)
    func instancesAreRegisteredBeatAndStopped(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            try await Self.register(journal, Self.beat("a", at: Self.now.adding(milliseconds: -5_000)))
            var beat = Self.beat("a", at: Self.now.adding(milliseconds: -5_000))
            beat.heartbeatAt = Self.now
            beat.status = "seen 3 dossiers"
            beat.detail = ["holds": ["register-poll"]]
            try await Self.register(journal, beat)
            var stop = beat
            stop.stoppedAt = Self.now
            try await Self.register(journal, Self.beat("b"), stop)
            let instances = try await journal.instances()
            let a = try #require(instances.first { $0.id == "a" })
            #expect(a.heartbeatAt == Self.now && a.startedAt == Self.now.adding(milliseconds: -5_000) && a.stoppedAt == Self.now)
            #expect(a.status == "seen 3 dossiers" && a.detail["holds"] == ["register-poll"])
            #expect(Set(instances.map(\.id)) == ["a", "b"])
        }
    }
}
