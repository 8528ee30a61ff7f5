@testable import Interlink
import InterlinkTestSupport
import Testing

/// The PostgreSQL journal when the server ends its sessions (a restart, a failover, an
/// administrator): operations fail as `unavailable` for a moment, then the journal reconnects
/// on its own, with nothing half-written.
@Suite("PostgreSQL journal: sessions ended by the server")
struct PostgresReconnectTests {
    @Test func theJournalReconnectsAfterTheServerEndsItsSessions() async throws {
        let fixture = try PostgresJournalFixture()
        let journal = fixture.journal
        _ = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])
        for round in 0..<3 {
            try fixture.terminateSessions()
            var batch = JournalBatch()
            batch.events = [Conformance.event("after termination \(round)", code: "A")]
            var failures: [JournalError.Code] = []
            let written = await ChildProcess.waitUntil(timeout: .seconds(30)) {
                do {
                    try await journal.apply(batch)
                    return true
                } catch {
                    failures.append((error as? JournalError)?.code ?? .storage)
                    return false
                }
            }
            #expect(written, "round \(round): \(failures)")
            #expect(failures.allSatisfy { $0 == .unavailable }, "a lost session is reported as unavailable: \(failures)")
        }
        #expect(try await journal.events(EventQuery()).count == 3, "each batch written once")
        #expect(try await journal.latestDossier(code: "A") != nil, "reads work again too")
        #expect(try await AuditChain.verify(journal).firstBreak == nil)
        await fixture.close()
    }
}
