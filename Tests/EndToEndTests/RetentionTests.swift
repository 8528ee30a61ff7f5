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
        let revealed = try OperatorToolsTests.ctl(["show", code, "--reveal", "all"], journal: daemon.journalPath).stdout
        for canary in ["Nguyễn Thị Mai", "096196004583", "Trần Minh Khang"] { #expect(!revealed.contains(canary)) }
        #expect(try OperatorToolsTests.ctl(["audit", "verify"], journal: daemon.journalPath).status == 0)
        #expect(try OperatorToolsTests.ctl(["purge", "--older-than", "0s", "--dry-run"], journal: daemon.journalPath)
            .stdout.contains("Would purge the personal data of 0"))
        await journal.close()
        await sim.stop()
    }

    /// With the daemon running, a purge leaves none of the purged dossiers' personal values
    /// anywhere in the journal's files: not in the database (secure_delete, then a rewrite for
    /// the copies B-tree rebalancing left), not in the WAL (checkpointed and truncated), not in the -shm.
    @Test func aPurgeLeavesNoBytesBehindWhileTheDaemonRuns() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let running = try daemon.start()
        #expect(await running.waitForLog("sync started"))
        let journal = try daemon.journal()
        let purged = try await journal.purgeCandidates(before: .now(), limit: 1_000)
        #expect(purged.count == 9)
        var canaries: Set<String> = []
        for key in purged {
            let found = try await journal.dossierWithTransfers(code: key.code, version: key.version, payload: true)
            Self.collect(found.dossier?.snapshot.payload["form"] ?? .null, into: &canaries)
            Self.collect(found.dossier?.snapshot.payload["applicant"] ?? .null, into: &canaries)
            for transfer in found.transfers { Self.collect(transfer.result ?? .null, into: &canaries) }
        }
        // Values the dossiers kept (needs-review, rejected) share are no canaries of the purged ones.
        var kept: Set<String> = []
        let purgedCodes = Set(purged.map(\.code))
        for dossier in try await journal.dossiers(outcome: nil, procedure: nil, since: nil, limit: 1_000) where !purgedCodes.contains(dossier.snapshot.code) {
            let found = try await journal.dossierWithTransfers(code: dossier.snapshot.code, version: dossier.snapshot.version, payload: true)
            Self.collect(found.dossier?.snapshot.payload ?? .null, into: &kept)
            for transfer in found.transfers { Self.collect(transfer.result ?? .null, into: &kept) }
        }
        canaries.subtract(kept)
        canaries = canaries.filter { Timestamp(rfc3339: $0) == nil }
        await journal.close()
        #expect(canaries.count > 40)
        let purge = try OperatorToolsTests.ctl(["purge", "--older-than", "0s", "--reason", "no bytes behind", "--json"], journal: daemon.journalPath)
        #expect(purge.status == 0 && (try? JSONParser.parse(purge.stdout))?["scrubbed"] == true, "\(purge.stdout) \(purge.stderr)")
        var leaked: [String] = []
        for suffix in ["", "-wal", "-shm"] {
            let bytes = FileBytes.read(daemon.journalPath + suffix) ?? []
            for canary in canaries where bytes.firstRange(of: Array(canary.utf8)) != nil { leaked.append("\(canary) in journal.sqlite\(suffix)") }
        }
        #expect(leaked.isEmpty, "purged bytes left behind: \(leaked.sorted().prefix(20))")
        running.signal(SIGTERM)
        #expect(await running.waitForExit(timeout: .seconds(30)) == 0)
        await sim.stop()
    }

    /// Every string (and number written as text) of at least 6 characters: the values grep would find.
    static func collect(_ value: JSONValue, into canaries: inout Set<String>) {
        switch value {
        case .string(let text) where text.count >= 6: canaries.insert(text)
        case .number(let number) where number >= 100_000: canaries.insert(String(Int64(number)))
        case .array(let elements): for element in elements { collect(element, into: &canaries) }
        case .object(let members): for member in members.values { collect(member, into: &canaries) }
        default: break
        }
    }
}
