import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: retention and purge", .serialized)
struct RetentionTests {
    @Test func purgeRemovesPersonalDataButKeepsHistoryAndTheChain() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let code = "H12.22-251120-0001"
        let dryRun = try OperatorToolsTests.ctl(["purge", "--older-than", "0s", "--dry-run"], journal: daemon.journalPath)
        #expect(dryRun.status == 0 && dryRun.stdout.contains("Would purge the personal data of 9 finished dossier version(s)"))
        let journal = try daemon.journal()
        #expect(try await journal.latestDossier(code: code)?.snapshot.payload != .null)

        let purge = try OperatorToolsTests.ctl(["purge", "--older-than", "0s", "--reason", "retention test"], journal: daemon.journalPath)
        #expect(purge.status == 0, "\(purge.stderr)")
        let dossier = try #require(try await journal.latestDossier(code: code))
        #expect(dossier.snapshot.payload == .null)
        #expect(dossier.outcome == .completed)
        let transfers = try await journal.transfers(TransferQuery(states: [], dossierCode: code))
        #expect(transfers.allSatisfy { $0.result == nil && $0.receipt != nil && $0.state == .completed })
        #expect(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: code, target: nil, limit: 1).first?.body == "{}")
        // Needs-review and rejected dossiers keep their data until they are finished.
        #expect(try await journal.latestDossier(code: "H26.05-251120-0021")?.snapshot.payload != .null)
        let revealed = try OperatorToolsTests.ctl(["show", code, "--reveal"], journal: daemon.journalPath).stdout
        for canary in ["Nguyễn Thị Mai", "096196004583", "Trần Minh Khang"] { #expect(!revealed.contains(canary)) }
        #expect(try OperatorToolsTests.ctl(["audit", "verify"], journal: daemon.journalPath).status == 0)
        #expect(try OperatorToolsTests.ctl(["purge", "--older-than", "0s", "--dry-run"], journal: daemon.journalPath)
            .stdout.contains("Would purge the personal data of 0"))
        await journal.close()
        await sim.stop()
    }
}
