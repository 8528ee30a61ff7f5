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
        let due = try await journal.dueTransfers(dueBy: .now(), limits: ["civil-registry": 5])
        let claims = await dispatcher.claim(due, agencies: config.agencies, routes: config.routes, now: .now())
        #expect(Set(claims.map(\.transfer.state)) == [.sending, .cancelling])
        #expect(try await journal.transfer(id: ids[0])?.attempts == 1, "the claim is committed before anything is sent")
        let again = await dispatcher.claim(due, agencies: config.agencies, routes: config.routes, now: .now())
        #expect(!again.contains { $0.transfer.id == ids[0] }, "a second claim of a push finds it sending")
        let stillDue = try await journal.dueTransfers(dueBy: .now(), limits: ["civil-registry": 5])
        #expect(!stillDue.contains { $0.id == ids[1] }, "a claimed cancellation is not due again until its request had time to answer")
        let now = Timestamp.now()
        await dispatcher.handBack(claims, now: now)
        let push = try #require(try await journal.transfer(id: ids[0]))
        let cancel = try #require(try await journal.transfer(id: ids[1]))
        #expect(push.state == .ready && push.attempts == 0)
        #expect(cancel.state == .cancelling && cancel.attempts == 0 && cancel.nextAttemptAt == now)
        await fixture.close()
    }
}
