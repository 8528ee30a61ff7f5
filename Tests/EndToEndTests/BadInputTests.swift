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
        let items = try BadDossierCorpus.items()
        let added = try await sim.control("POST", "/_sim/dossiers", body: ["items": .array(items)])
        #expect(added["items"]?.arrayValue?.count == items.count, "\(added)")
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0, "\(run.stderr.suffix(2_000))")

        let journal = try daemon.journal()
        let quarantined = try await journal.events(EventQuery(limit: 10_000)).filter { $0.event.kind == .dossierQuarantined }
        for code in BadDossierCorpus.quarantinedCodes {
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
