import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// `interlinkctl audit verify --tip`: a tip recorded outside the server catches events cut
/// from the end of the journal, which leave a chain that verifies on its own.
@Suite("End to end: audit verify against a recorded tip")
struct AuditTipTests {
    @Test func aRecordedTipCatchesATruncatedJournal() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "3"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        await sim.stop()
        let ctl = Executables.path("interlinkctl")
        let clean = try runProcess(ctl, ["audit", "verify", "--json", "--journal", daemon.journalPath])
        let report = try JSONParser.parse(clean.stdout)
        let tip = try #require(report["tip"]?.stringValue)
        let last = try #require(report["tipSequence"]?.intValue)
        #expect(clean.status == 0 && last > 3)
        #expect(try runProcess(ctl, ["audit", "verify", "--tip", tip, "--journal", daemon.journalPath]).status == 0)

        try SQLiteConnection(path: daemon.journalPath).execute("DELETE FROM events WHERE seq > \(last - 2)")
        #expect(try runProcess(ctl, ["audit", "verify", "--journal", daemon.journalPath]).status == 0, "the shorter chain holds on its own")
        let cut = try runProcess(ctl, ["audit", "verify", "--json", "--tip", tip, "--journal", daemon.journalPath])
        #expect(cut.status == 1)
        #expect(try JSONParser.parse(cut.stdout)["reason"]?.stringValue?.contains("recorded tip") == true, "\(cut.stdout)")
        let bad = try runProcess(ctl, ["audit", "verify", "--tip", "not-hex", "--journal", daemon.journalPath])
        #expect(bad.status == 64 && bad.stderr.contains("--tip"))
    }
}
