import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The journal-loss drill: a daemon syncs, its journal is deleted mid-run (a lost disk, a
/// restore from nothing), and a daemon on an empty journal finishes the work. Agencies must
/// apply nothing twice, and every write-back must end right, for dossiers at several versions too.
@Suite("End to end: a lost journal", .serialized)
struct JournalLossTests {
    @Test func aDaemonOnAnEmptyJournalRepeatsNothingAndWritesEveryDossierBack() async throws {
        let directory = try TemporaryDirectory()
        // Land decides after 2 s, so some of its steps are only accepted when the journal goes.
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "60", "--seed", "5",
                                                         "--fault", "land.decisionDelayMs=2000"], in: directory)
        let birth = try DossierChangeTests.fixture("01-birth-ok-hoa-thanh.json")
        let death = try DossierChangeTests.fixture("08-death-ok-an-xuyen.json")
        let changed = [birth, death]
        let codes = changed.map { $0["code"]!.stringValue! }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": .array(changed.map { ["dossier": $0] })])
        let daemon = try DaemonHarness(simulator: sim, directory: directory)

        let first = try daemon.start(name: "before-loss")
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let records = (try? await sim.interconnections()) ?? [:]
            return codes.allSatisfy { records[$0] != nil }
        })
        // Version 2 of each: a new phone number that no request carries.
        for dossier in changed {
            let edited = DossierChangeTests.edited(dossier) { members in
                if case .object(var applicant) = members["applicant"]! {
                    applicant["phone"] = "0909000111"
                    members["applicant"] = .object(applicant)
                }
            }
            _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": edited]]])
        }
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let records = (try? await sim.interconnections()) ?? [:]
            return codes.allSatisfy { records[$0]?["dossierVersion"]?.intValue == 2 } && records.count >= 30
        })
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: daemon.journalPath + suffix) }
        let effectsBefore = try await sim.effects().count

        let second = try daemon.start(name: "after-loss")
        let journal = try daemon.journal()
        #expect(await sim.allSettled(in: journal, timeout: .seconds(120), workers: [second]))
        let stats = try await sim.stats()
        #expect(stats["repeatedEffects"]?.intValue == 0, "no agency applied anything twice: \(stats)")
        let dead = try await journal.writeBacks(states: [.dead], dueBy: nil, dossierCode: nil, target: nil, limit: 10)
        #expect(dead.isEmpty, "no write-back refused (a reused key with a new body): \(dead.map(\.lastError))")
        let records = try await sim.interconnections()
        for code in codes { #expect(records[code]?["dossierVersion"]?.intValue == 2, "\(code) written back at its current version") }
        let adopted = try await journal.events(EventQuery(limit: 100_000)).filter { $0.event.kind == .adopted }
        #expect(adopted.count >= 2 * codes.count, "the changed dossiers' steps were adopted from the register, not pushed again")
        #expect(second.stderr.components(separatedBy: "recovering from the register").count == 2, "the daemon says once that it recovers")
        #expect(try await sim.effects().count > effectsBefore || records.count == 62, "the rest of the work was done")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }
}
