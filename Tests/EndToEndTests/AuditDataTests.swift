import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The audit trail covers the data: a result, outcome or write-back body rewritten in its
/// table, or an event's detail bytes changed in a way the parser would forgive, is found.
@Suite("End to end: audit verify covers the data")
struct AuditDataTests {
    @Test(arguments: ["result", "outcome", "write-back", "detail-bytes"])
    func rewritingAuditedDataIsDetected(tampering: String) async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        await sim.stop()
        let clean = try OperatorToolsTests.ctl(["audit", "verify", "--json"], journal: daemon.journalPath)
        #expect(clean.status == 0, "\(clean.stdout)")
        let report = try JSONParser.parse(clean.stdout)
        #expect(report["unauditedRows"] == 0, "every row written by this version is covered: \(clean.stdout)")

        let connection = try SQLiteConnection(path: daemon.journalPath)
        let code = "H12.22-251120-0001"
        switch tampering {
        case "result":
            try connection.execute("UPDATE transfers SET result = replace(result, '\"certificateNo\":\"', '\"certificateNo\":\"X') WHERE dossier_code = '\(code)' AND step = 'birth'")
        case "outcome":
            try connection.execute("UPDATE dossiers SET outcome = 'completed' WHERE code = 'H52.38-251120-0009'")
        case "write-back":
            try connection.execute("UPDATE writebacks SET body = replace(body, '\"outcome\":\"completed\"', '\"outcome\":\"failed\"') WHERE dossier_code = '\(code)'")
        default:
            try connection.execute("UPDATE events SET detail = ' ' || detail WHERE seq = (SELECT MIN(seq) FROM events WHERE detail IS NOT NULL)")
        }
        #expect(connection.changes == 1)
        let output = try OperatorToolsTests.ctl(["audit", "verify", "--json"], journal: daemon.journalPath)
        #expect(output.status == 1, "\(tampering) must be detected: \(output.stdout)")
        let reason = try JSONParser.parse(output.stdout)["reason"]?.stringValue ?? ""
        #expect(tampering == "detail-bytes" ? reason.contains("detail") : reason.contains("not what the chain recorded"), "\(reason)")
    }
}
