import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("End to end: dossiers that change or are withdrawn", .serialized)
struct DossierChangeTests {
    static func fixture(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/dossiers/\(name)")))["dossier"]!
    }

    /// A simulator that holds only the fixture `name` (without the others), and that dossier.
    static func simulator(with name: String, arguments: [String] = [], in directory: TemporaryDirectory) async throws -> (SimulatorProcess, JSONValue) {
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"] + arguments, in: directory)
        let dossier = try fixture(name)
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": dossier]]])
        return (sim, dossier)
    }

    static func edited(_ dossier: JSONValue, _ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
        guard case .object(var members) = dossier else { return dossier }
        edit(&members)
        return .object(members)
    }

    /// Waits until the dossier's transfer for `step` reaches `state`.
    static func waitFor(_ journal: any Journal, _ code: String, _ step: String, _ state: TransferState) async -> Bool {
        await ChildProcess.waitUntil(timeout: .seconds(90)) {
            let transfers = (try? await journal.transfers(TransferQuery(states: [state], dossierCode: code))) ?? []
            return transfers.contains { $0.step == step }
        }
    }

    @Test func aWithdrawnDossierCancelsItsUndecidedReceipts() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--fault", "land.decisionDelayMs=600000"], in: directory)
        let land = try Self.fixture("12-land-ok-tan-thanh.json")
        let code = land["code"]!.stringValue!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": land]]])
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let process = try daemon.start()
        let journal = try daemon.journal()
        #expect(await Self.waitFor(journal, code, "land-registration", .accepted))
        let withdrawn = Self.edited(land) { $0["status"] = "cancelled" }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": withdrawn]]])
        #expect(await Self.waitFor(journal, code, "land-registration", .cancelled))
        let cancels = try await sim.effects().filter { $0["operation"] == "cancel" && $0["dossierCode"]?.stringValue == code }
        #expect(cancels.count == 1)
        #expect(try await journal.latestDossier(code: code)?.outcome == .cancelled)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    /// Review only when it matters: a new phone number that no request carries changes nothing
    /// an agency holds, so the new version completes with the results it has.
    @Test func aVersionThatChangesNoRequestCompletesWithoutReview() async throws {
        let directory = try TemporaryDirectory()
        let (sim, birth) = try await Self.simulator(with: "01-birth-ok-hoa-thanh.json", in: directory)
        let code = birth["code"]!.stringValue!
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let effects = try await sim.effects().count
        let newPhone = Self.edited(birth) { members in
            if case .object(var applicant) = members["applicant"]! {
                applicant["phone"] = "0909000111"
                members["applicant"] = .object(applicant)
            }
        }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": newPhone]]])
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let journal = try daemon.journal()
        let dossier = try #require(try await journal.latestDossier(code: code))
        #expect(dossier.snapshot.version == 2 && dossier.outcome == .completed, "\(dossier.outcome)")
        #expect(dossier.flags.changedAfterSteps.isEmpty)
        #expect(try await sim.effects().filter { $0["operation"] != "interconnection" }.count <= effects, "nothing pushed again")
        #expect(try await sim.interconnections()[code]?["outcome"]?.stringValue == "completed")
        await journal.close()
        await sim.stop()
    }

    @Test func aNewVersionReusesWhatWasAcceptedAndSendsTheRestWithTheNewData() async throws {
        let directory = try TemporaryDirectory()
        // The birth stays undecided for 20 s, so the daemon (polling each second) sees the
        // correction while it waits, even on a loaded machine: at 1.5 s it once did not, and CI
        // starts every suite at once, where a daemon has lagged 30 s.
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--fault", "civil-registry.decisionDelayMs=20000"], in: directory)
        let birth = try Self.fixture("01-birth-ok-hoa-thanh.json")
        let code = birth["code"]!.stringValue!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": birth]]])
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let process = try daemon.start(["--until-idle", "--idle-horizon", "5"])
        let journal = try daemon.journal()
        #expect(await Self.waitFor(journal, code, "birth", .accepted))
        // The clerk corrects the residence address while the birth is being decided.
        let corrected = Self.edited(birth) { members in
            if case .object(var form) = members["form"]! {
                form["residence"] = ["address": "Số 9, đường Nguyễn Trãi, phường An Xuyên, tỉnh Cà Mau"]
                members["form"] = .object(form)
            }
        }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": corrected]]])
        #expect(await process.waitForExit(timeout: .seconds(60)) == 0, "\(process.stderr.suffix(2_000))")

        let transfers = try await journal.transfers(TransferQuery(states: [], dossierCode: code))
        let byVersionAndStep = Dictionary(uniqueKeysWithValues: transfers.map { ("v\($0.dossierVersion)/\($0.step)", $0.state) })
        #expect(byVersionAndStep == ["v1/birth": .completed, "v1/health-card": .cancelled, "v2/health-card": .completed])
        let effects = try await sim.effects().filter { $0["dossierCode"]?.stringValue == code }
        #expect(effects.filter { $0["operation"] == "births" }.count == 1, "the birth is never registered twice")
        // Sent under a key derived from its content (the corrected data), not from the version.
        #expect(effects.first { $0["operation"] == "health-insurance-cards" }?["idempotencyKey"]?.stringValue?.hasPrefix("\(code):health-card:") == true)
        let dossier = try await journal.latestDossier(code: code)
        #expect(dossier?.snapshot.version == 2)
        #expect(dossier?.outcome == .needsReview)
        #expect(dossier?.flags.changedAfterSteps == ["birth"])
        #expect(try await sim.interconnections()[code]?["dossierVersion"] == 2)
        await journal.close()
        await sim.stop()
    }
}
