import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: bad input", .serialized)
struct BadInputTests {
    @Test func malformedDossiersAreQuarantinedAndTheRestCompletes() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let fixture = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath:
            Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json")))["dossier"]!
        func variant(_ code: String, _ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
            guard case .object(var members) = fixture else { return fixture }
            members["code"] = .string(code)
            edit(&members)
            return .object(members)
        }
        let deep = (0..<100).reduce(JSONValue.string("bottom")) { inner, _ in ["nested": inner] }
        let items: [JSONValue] = [
            ["code": "BAD-UTF8", "rawBase64": .string(Data([0x7B, 0x22, 0x63, 0x6F, 0x64, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]).base64EncodedString())],
            ["code": "BAD-DUPLICATE", "raw": #"{"code":"BAD-DUPLICATE","code":"OTHER","version":1,"procedureCode":"1.001193","updatedAt":"2025-11-20T01:00:00.000Z","form":{}}"#],
            // Raw, because the simulator would renumber a dossier it stores itself.
            ["code": "BAD-TYPES", "raw": .string(JSONWriter.string(variant("BAD-TYPES") { $0["version"] = "one" }))],
            ["dossier": variant("BAD-MISSING") { $0["procedureCode"] = nil }],
            ["dossier": variant("BAD-DEEP") { $0["form"] = ["deep": deep] }],
            ["dossier": variant("BAD-HUGE") { $0["attachments"] = .array(Array(repeating: .string(String(repeating: "x", count: 1_000)), count: 600)) }],
            ["dossier": variant("BAD-NO-CHILD-DOB") { members in
                if case .object(var form) = members["form"]!, case .object(var child) = form["child"]! {
                    child["dateOfBirth"] = 20251109
                    form["child"] = .object(child)
                    members["form"] = .object(form)
                }
            }],
            ["dossier": variant("CRLF-NAME") { members in
                if case .object(var applicant) = members["applicant"]! {
                    applicant["fullName"] = "Nguyễn Thị Mai\r\n<3>{\"msg\":\"forged\"}"
                    members["applicant"] = .object(applicant)
                }
            }],
        ]
        let added = try await sim.control("POST", "/_sim/dossiers", body: ["items": .array(items)])
        #expect(added["items"]?.arrayValue?.count == items.count, "\(added)")
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0, "\(run.stderr.suffix(2_000))")

        let journal = try daemon.journal()
        let quarantined = try await journal.events(EventQuery(limit: 10_000)).filter { $0.event.kind == .dossierQuarantined }
        for code in ["BAD-DUPLICATE", "BAD-TYPES", "BAD-MISSING", "BAD-DEEP", "BAD-HUGE", "BAD-NO-CHILD-DOB"] {
            let event = quarantined.first { $0.event.dossierCode == code }
            #expect(event != nil, "\(code) was not quarantined")
        }
        #expect(quarantined.contains { $0.event.message.contains("UTF-8") })
        #expect(quarantined.first { $0.event.dossierCode == "BAD-DEEP" }?.event.message.contains("nesting") == true)
        #expect(quarantined.first { $0.event.dossierCode == "BAD-NO-CHILD-DOB" }?.event.message.contains("/form/child/dateOfBirth") == true)
        // The dossier with a quarantine reason is written back so the clerk can fix it; the rest complete.
        let records = try await sim.interconnections()
        #expect(records["BAD-NO-CHILD-DOB"]?["outcome"] == "supplement-requested")
        #expect(records["H12.22-251120-0001"]?["outcome"] == "completed")
        #expect(records["CRLF-NAME"]?["outcome"] == "completed")
        #expect(!run.stderr.contains("\"msg\":\"forged\""))
        await journal.close()
        await sim.stop()
    }

    @Test func malformedAgencyAnswersAreRefusedWithAReasonAndTheRestCompletes() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "40", "--seed", "31"], in: directory)
        try await BadAnswerCorpus.queue(on: sim)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.setForAllAgencies(["retry"], ["maxAttempts": 10, "initialDelayMs": 10, "maxDelayMs": 50, "maxAgeSeconds": 300])
        }
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0, "\(run.stderr.suffix(2_000))")
        let verdict = try await BadAnswerCorpus.check(simulator: sim, daemon: daemon, log: run.stderr)
        #expect(verdict.isEmpty, "\(verdict)")
        await sim.stop()
    }
}
