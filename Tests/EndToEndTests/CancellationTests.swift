import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// A withdrawn dossier's receipt is cancelled like any request is sent: journaled as
/// requested, sent under its own key, retried through faults, and `cancelled` only when the
/// agency confirms it. What the journal says is checked against the agency's own effects.
@Suite("End to end: receipt cancellations under faults", .serialized)
struct CancellationTests {
    struct Running {
        let sim: SimulatorProcess
        let process: ChildProcess
        let journal: any Journal
        let code: String
        let land: JSONValue

        func transfer() async throws -> TransferRecord? {
            try await journal.transfers(TransferQuery(states: [], dossierCode: code)).first { $0.step == "land-registration" }
        }

        func waitFor(_ condition: @escaping @Sendable (TransferRecord) -> Bool) async -> Bool {
            await ChildProcess.waitUntil(timeout: .seconds(60)) { (try? await transfer()).flatMap { $0 }.map(condition) ?? false }
        }

        func effects(_ operation: String) async throws -> [JSONValue] {
            try await sim.effects().filter { $0["operation"] == .string(operation) && $0["dossierCode"] == .string(code) }
        }

        func withdraw() async throws {
            guard case .object(var members) = land else { return }
            members["status"] = "cancelled"
            _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": .object(members)]]])
        }

        func stop() async {
            process.signal(SIGTERM)
            #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
            await journal.close()
            await sim.stop()
        }
    }

    /// A land dossier whose registration is accepted and undecided, with a daemon following it.
    static func accepted(in directory: TemporaryDirectory) async throws -> Running {
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--fault", "land.decisionDelayMs=600000"], in: directory)
        let land = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/dossiers/12-land-ok-tan-thanh.json")))["dossier"]!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": land]]])
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            // An outage of a few seconds must not spend the cancellation's budget.
            config.set(["agencies", "land", "retry", "maxAttempts"], 1_000)
        }
        let running = Running(sim: sim, process: try daemon.start(), journal: try daemon.journal(), code: land["code"]!.stringValue!, land: land)
        #expect(await running.waitFor { $0.state == .accepted })
        return running
    }

    @Test func aCancellationIsRecordedOnlyOnceTheAgencyConfirmsIt() async throws {
        let directory = try TemporaryDirectory()
        let running = try await Self.accepted(in: directory)
        try await running.sim.setFaults(["land": ["error5xxRate": 1]])
        try await running.withdraw()
        #expect(await running.waitFor { $0.state == .cancelling && $0.attempts >= 2 }, "cancellations fail and are retried")
        #expect(try await running.effects("cancel").isEmpty, "the agency has cancelled nothing")
        #expect(try await running.transfer()?.state == .cancelling, "so the journal does not say cancelled")
        #expect(try await running.journal.latestDossier(code: running.code)?.outcome == .cancelled, "the register withdrew it")
        try await running.sim.setFaults(["land": ["error5xxRate": 0]])
        #expect(await running.waitFor { $0.state == .cancelled })
        let cancels = try await running.effects("cancel")
        let transfer = try #require(try await running.transfer())
        #expect(cancels.map { $0["idempotencyKey"] } == [.string(IdempotencyKeys.cancellation(transfer.idempotencyKey))])
        let events = try await running.journal.events(EventQuery(dossierCode: running.code))
        #expect(events.contains { $0.event.message.contains("confirmed the withdrawal") })
        await running.stop()
    }

    /// The agency confirmed, but its answer was lost: the cancellation is sent again under the
    /// same key, and the agency applies it once.
    @Test func aLostConfirmationIsResentUnderTheSameKey() async throws {
        let directory = try TemporaryDirectory()
        let running = try await Self.accepted(in: directory)
        try await running.sim.setFaults(["land": ["resetAfterEffectRate": 1]])
        try await running.withdraw()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) { ((try? await running.effects("cancel")) ?? []).count == 1 })
        #expect(await running.waitFor { $0.state == .cancelling && $0.attempts >= 2 })
        try await running.sim.setFaults(["land": ["resetAfterEffectRate": 0]])
        #expect(await running.waitFor { $0.state == .cancelled })
        #expect(try await running.effects("cancel").count == 1)
        await running.stop()
    }

    /// Too late: the agency decided before the cancellation got through. Its 409 means the
    /// decision stands; Interlink follows it and records it, and never calls it cancelled.
    @Test func aCancellationThatComesTooLateFollowsTheAgencysDecision() async throws {
        let directory = try TemporaryDirectory()
        let running = try await Self.accepted(in: directory)
        try await running.sim.setFaults(["land": ["error5xxRate": 1]])
        try await running.withdraw()
        #expect(await running.waitFor { $0.state == .cancelling && $0.attempts >= 1 })
        #expect(try await running.sim.control("POST", "/_sim/decide", body: ["agency": "land"])["decided"] == 1)
        try await running.sim.setFaults(["land": ["error5xxRate": 0]])
        #expect(await running.waitFor { $0.state == .completed })
        #expect(try await running.effects("cancel").isEmpty)
        #expect(try await running.effects("registrations").count == 1)
        let events = try await running.journal.events(EventQuery(dossierCode: running.code))
        #expect(events.contains { $0.event.message.contains("already decided") })
        #expect(!events.contains { $0.event.message.contains("→ cancelled") && $0.event.step == "land-registration" })
        // The agency acted although the dossier was withdrawn: a person must settle it, and the register is told.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await running.journal.latestDossier(code: running.code))?.outcome == .needsReview
        })
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await running.sim.interconnections())?[running.code]?["outcome"] == "needs-review"
        })
        await running.stop()
    }
}
