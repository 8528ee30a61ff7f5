@testable import Interlink
import InterlinkTestSupport
import Testing

/// Claims on a real journal: committed before anything is sent, and handed back uncounted
/// when the agency's circuit opened meanwhile.
@Suite("Dispatcher: claims and hand-backs")
struct DispatcherTests {
    @Test func aClaimHandedBackCountsNoAttempt() async throws {
        let fixture = try JournalBackend.sqlite.makeFixture()
        let journal = fixture.journal
        let config = try InterlinkConfig.load(path: Executables.packageRoot + "/Config/demo.json", environment: [:])
        let ids = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready), ("B", "birth", "civil-registry", .ready)])
        var withdrawing = TransferUpdate(id: ids[1], state: .cancelling)
        withdrawing.receipt = "HT-1"
        withdrawing.nextAttemptAt = .some(Timestamp.now().adding(milliseconds: -1))
        _ = try await Conformance.update(journal, withdrawing)
        let dispatcher = Dispatcher(journal: journal, logger: Logger(level: .error, sink: MemoryLogSink()))
        let (this, other) = (DaemonInstance.current(timeoutSeconds: 60),
                             DaemonInstance(id: "other-node", host: "other-host", pid: 1, startedAt: .now(), timeoutMs: 60_000))
        try await this.register(in: journal, exclusive: false)
        try await other.register(in: journal, exclusive: false)
        func claim(as instance: DaemonInstance, excluding: Set<Int64> = []) async -> [Dispatcher.Claim] {
            await dispatcher.claim(limits: ["civil-registry": 5], excluding: excluding, planning: [], agencies: config.agencies,
                                   routes: config.routes, instance: instance, now: .now())
        }
        let claims = await claim(as: this)
        #expect(Set(claims.map(\.transfer.state)) == [.sending, .cancelling])
        #expect(claims.allSatisfy { $0.transfer.claimedBy == this.id })
        #expect(try await journal.transfer(id: ids[0])?.attempts == 1, "the claim is committed before anything is sent")
        let byOther = await claim(as: other)
        #expect(byOther.isEmpty, "another live node never claims what this one holds")
        let again = await claim(as: this, excluding: Set(claims.map(\.transfer.id)))
        #expect(again.isEmpty, "what is in flight here is left out, and a claimed cancellation waits for its request to answer")
        let now = Timestamp.now()
        await dispatcher.handBack(claims, now: now)
        let push = try #require(try await journal.transfer(id: ids[0]))
        let cancel = try #require(try await journal.transfer(id: ids[1]))
        #expect(push.state == .ready && push.attempts == 0)
        #expect(cancel.state == .cancelling && cancel.attempts == 0 && cancel.nextAttemptAt == now)
        await fixture.close()
    }
}
