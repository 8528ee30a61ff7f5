import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Deadlines end to end: a slow agency makes dossiers overdue, and `overdue`, `status`, the
/// metrics, the sync log and the write-back all say so.
@Suite("End to end: deadlines", .serialized)
struct DeadlineTests {
    /// Birth dossiers from the first fixture, received a minute ago and due `dueIn` from now.
    static func dossiers(_ count: Int, dueIn milliseconds: Int64) throws -> JSONValue {
        let fixture = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json")))
        guard case .object(var dossier) = fixture["dossier"] ?? .null else { throw HarnessError("fixture") }
        let now = Timestamp.now()
        dossier["receivedAt"] = .string(now.adding(milliseconds: -60_000).description)
        dossier["dueAt"] = .string(now.adding(milliseconds: milliseconds).description)
        return ["items": .array((1...count).map { index in
            var copy = dossier
            copy["code"] = .string("H12.22-261201-90\(index)")
            return ["dossier": .object(copy)]
        })]
    }

    @Test func aSlowAgencyMakesDossiersOverdueAndEveryViewSaysWhy() async throws {
        let directory = try TemporaryDirectory()
        // Insurance accepts at once and decides 20 s later: the dossiers, due in 3 s, wait on it.
        // The views below are read inside that window; on CI's loaded first minute, with every
        // suite's daemons starting together, the daemon took most of 30 s to get there.
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--fault", "insurance.decisionDelayMs=20000"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["metrics"], ["listen": "127.0.0.1:0"])
            config.set(["deadlines"], ["checkSeconds": 1])
        }
        let process = try daemon.start()
        let metricsURL = try await DaemonHarness.metricsURL(of: process)
        _ = try await sim.control("POST", "/_sim/dossiers", body: try Self.dossiers(5, dueIn: 3_000))
        func ctl(_ arguments: [String]) throws -> ProcessOutput {
            try runProcess(Executables.path("interlinkctl"), arguments + ["--journal", daemon.journalPath, "--json"])
        }
        var overdue = try ctl(["overdue"])
        // Until all five wait on insurance's decision (before that, some may still wait on the civil registry).
        #expect(await ChildProcess.waitUntil(timeout: .seconds(120)) {
            overdue = (try? ctl(["overdue"])) ?? overdue
            return overdue.stdout.split(separator: "\n").filter { $0.contains("\"overdue\":true") && $0.contains("\"agency\":\"insurance\"") }.count == 5
        }, "overdue: \(overdue.stdout) \(overdue.stderr)")
        #expect(overdue.status == 1, "overdue on the offices' side exits 1")
        for line in overdue.stdout.split(separator: "\n") {
            let entry = try JSONParser.parse(String(line))
            #expect(entry["why"] == "awaiting-decision" && entry["agency"] == "insurance" && entry["step"] == "health-card" && entry["side"] == "offices",
                    "\(line)")
        }
        let status = try JSONParser.parse(try ctl(["status"]).stdout)
        #expect(status["deadlines"]?["overdue"] == 5)
        let client = try HTTPClient()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(15)) {
            let text = (try? await client.send(HTTPRequest(method: "GET", url: metricsURL))).map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            return text.split(separator: "\n").contains { $0.hasPrefix("interlink_dossiers_overdue{agency=\"insurance\"") && $0.contains("route=\"birth-group\"") && $0.hasSuffix(" 5") }
        }, "the metrics count them by route and agency")

        // Once insurance decides, each dossier completes, is written back with its deadlines, and counts no more.
        let journal = try daemon.journal()
        #expect(await sim.allSettled(in: journal, timeout: .seconds(60), workers: [process]))
        let records = try await sim.interconnections()
        for index in 1...5 {
            let record = try #require(records["H12.22-261201-90\(index)"], "written back")
            #expect(record["dueAt"]?.stringValue != nil, "the record carries the group's deadline")
            #expect(record["steps"]?.arrayValue?.allSatisfy { $0["dueAt"]?.stringValue != nil } == true, "and each step's")
        }
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) { (try? ctl(["overdue"]))?.stdout.isEmpty == true }, "settled once done")
        let events = try await journal.events(EventQuery(limit: 10_000)).filter { $0.event.kind == .deadline }
        #expect(events.count == 5, "one overdue event per dossier, never a flood: \(events.map(\.event.message))")
        #expect(events.allSatisfy { $0.event.message.hasPrefix("dossier overdue") && $0.event.message.contains("the agency is slow") })
        #expect(process.stderr.components(separatedBy: "\"dossier overdue").count == 6, "and one log line each")
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }
}
