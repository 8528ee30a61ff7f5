import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// A write-back that gave up is not lost: `status` fails on it, `show` says the register never
/// learned the outcome, and `replay --writeback` sends it again for the running daemon.
@Suite("End to end: dead write-backs", .serialized)
struct WriteBackReplayTests {
    static func ctl(_ arguments: [String], _ journal: String) throws -> ProcessOutput {
        try runProcess(Executables.path("interlinkctl"), arguments + ["--journal", journal])
    }

    @Test func aDeadWriteBackFailsStatusAndIsReplayedUnderItsKey() async throws {
        let directory = try TemporaryDirectory()
        let (sim, birth) = try await DossierChangeTests.simulator(with: "01-birth-ok-hoa-thanh.json", in: directory)
        let code = birth["code"]!.stringValue!
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let journal = try daemon.journal()
        let sent = try #require(try await journal.writeBacks(states: [.sent], dueBy: nil, dossierCode: code, target: nil, limit: 1).first)
        // As if it had given up (the register was misconfigured for a day, say).
        var batch = JournalBatch()
        batch.writeBackUpdates = [WriteBackUpdate(dossierCode: code, sequence: sent.sequence, state: .dead, attempts: 12, nextAttemptAt: nil,
                                                  firstAttemptAt: .now(), lastError: "HTTP 404 from the register")]
        try await journal.apply(batch)

        let status = try Self.ctl(["status"], daemon.journalPath)
        #expect(status.status == 1 && status.stdout.contains("dead 1") && status.stdout.contains("write-backs are dead"), "\(status.stdout)")
        #expect(try Self.ctl(["show", code], daemon.journalPath).stdout.contains("not written back"))
        let dryRun = try Self.ctl(["replay", "--writebacks", "--state", "dead", "--dry-run"], daemon.journalPath)
        #expect(dryRun.status == 0 && dryRun.stdout.contains("Would replay 1 write-back"))
        #expect(try Self.ctl(["replay", "--writeback", code], daemon.journalPath).status == 64, "a replay needs a reason")
        let replay = try Self.ctl(["replay", "--writeback", code, "--reason", "register route fixed"], daemon.journalPath)
        #expect(replay.status == 0 && replay.stdout.contains("Replayed 1 write-back"), "\(replay.stdout)\(replay.stderr)")
        #expect(try Self.ctl(["replay", "--writeback", code, "--reason", "again"], daemon.journalPath).status == 1, "it is pending now")

        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let after = try #require(try await journal.writeBacks(states: [], dueBy: nil, dossierCode: code, target: nil, limit: 1).first)
        #expect(after.state == .sent && after.idempotencyKey == sent.idempotencyKey, "sent again under the same key")
        // (status still exits 1 here: no daemon runs after --until-idle.)
        let settled = try Self.ctl(["status"], daemon.journalPath).stdout
        #expect(settled.contains("dead 0") && !settled.contains("write-backs are dead"), "\(settled)")
        await journal.close()
        await sim.stop()
    }
}
