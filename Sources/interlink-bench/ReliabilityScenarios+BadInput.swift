import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

extension ReliabilityScenarios {
    /// 5. The bad-input corpus from both sides, `copies` times over, among generated dossiers:
    /// no crash, every bad dossier and answer refused with its reason, the rest completes.
    static func badInput(dossiers: Int, copies: Int) async throws -> Verdict {
        var verdict = Verdict(name: "bad input: \(copies) copies of the register and agency corpora among \(dossiers) dossiers")
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "41"], in: directory)
        for copy in 0..<copies {
            _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": .array(try BadDossierCorpus.items(suffix: "-\(copy)"))])
        }
        try await BadAnswerCorpus.queue(on: sim, copies: copies)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.setForAllAgencies(["retry"], ["maxAttempts": 10, "initialDelayMs": 10, "maxDelayMs": 100, "maxAgeSeconds": 600])
        }
        let run = try await daemon.runUntilIdle(timeout: .seconds(1_800))
        verdict.check(run.exitStatus == 0, "the daemon never crashes and the run exits 0")
        let journal = try daemon.journal()
        let quarantined = try await journal.events(EventQuery(limit: 1_000_000)).filter { $0.event.kind == .dossierQuarantined }
        await journal.close()
        let expected = BadDossierCorpus.quarantinedCodes.flatMap { code in (0..<copies).map { "\(code)-\($0)" } }
        let missing = expected.filter { code in !quarantined.contains { $0.event.dossierCode == code } }
        let invalidUTF8 = quarantined.filter { $0.event.message.contains("UTF-8") }.count
        verdict.figures += [("bad dossiers quarantined with a reason", "\(expected.count - missing.count) of \(expected.count), + \(invalidUTF8) invalid UTF-8")]
        verdict.check(missing.isEmpty, "every bad dossier quarantined with its reason")
        verdict.check(invalidUTF8 >= copies, "every invalid UTF-8 dossier quarantined")
        let broken = try await BadAnswerCorpus.check(simulator: sim, daemon: daemon, log: run.stderr, copies: copies)
        verdict.figures += [("bad agency answers served", "\(BadAnswerCorpus.answers.count * copies)")]
        for failure in broken { verdict.check(false, "agency corpus: \(failure)") }
        // Outcomes and exactly-once for everything else; quarantined dossiers are written back too.
        try await checkOutcome(&verdict, sim: sim, daemon: daemon, refusedAtThePage: BadDossierCorpus.refusedAtThePage * copies)
        await sim.stop()
        return verdict
    }

    /// 6. TLS through a real stunnel4 with certificates made by openssl: accepted where it
    /// should be, refused otherwise with no request reaching the agency.
    static func tls() async throws -> Verdict {
        var verdict = Verdict(name: "TLS through stunnel4 (certificates made by openssl)")
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "0"], in: directory)
        for result in try await TLSCase.runAll(simulator: sim, directory: directory) {
            let outcome = result.connected ? "connected" : "refused (\(result.error.map { String($0.prefix(70)) } ?? ""))"
            verdict.figures.append((result.name, "\(outcome); requests reaching the agency: \(result.requestsReachingAgency)"))
            verdict.check(result.holds, "\(result.name): \(result.mustConnect ? "accepted" : "refused with 0 requests through")")
        }
        await sim.stop()
        return verdict
    }
}
