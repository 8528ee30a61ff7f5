import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// A template mistake reaches no citizen: the agency's 422 on a value the configuration
/// supplies is a configuration error, dead with a hint, never a supplement request.
@Suite("End to end: a mistyped template", .serialized)
struct TemplateMistakeTests {
    @Test func aRefusalOfAConfiguredValueIsAConfigurationErrorNotASupplementRequest() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let land = try DossierChangeTests.fixture("12-land-ok-tan-thanh.json")
        let code = land["code"]!.stringValue!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": land]]])
        // The confirmation's purpose is a constant of the template, mistyped as a number.
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            guard case .array(var routes) = config["routes"] ?? [] else { return }
            for index in routes.indices {
                guard case .object(var route) = routes[index], case .array(var steps) = route["steps"] ?? [] else { continue }
                for step in steps.indices {
                    guard case .object(var members) = steps[step], case .object(var payload) = members["payload"] ?? [:],
                          payload["purpose"] != nil else { continue }
                    payload["purpose"] = ["$const": 7]
                    members["payload"] = .object(payload)
                    steps[step] = .object(members)
                }
                route["steps"] = .array(steps)
                routes[index] = .object(route)
            }
            config["routes"] = .array(routes)
        }
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let journal = try daemon.journal()
        let transfers = try await journal.transfers(TransferQuery(states: [], dossierCode: code))
        let confirmation = try #require(transfers.first { $0.operation.contains("marital") })
        #expect(confirmation.state == .dead, "\(confirmation.state)")
        #expect(confirmation.lastError?.contains("configuration error") == true && confirmation.lastError?.contains("/purpose") == true)
        let dossier = try #require(try await journal.latestDossier(code: code))
        #expect(dossier.outcome != .supplementRequested, "the citizen is not asked to fix the configuration")
        let record = try await sim.interconnections()[code]
        #expect(record?["outcome"]?.stringValue != "supplement-requested")
        await journal.close()
        await sim.stop()
    }

    /// Write-backs tell the truth: a rejected birth keeps the agency's code, and the card that
    /// needs it is "not-started" with why, never "in-progress".
    @Test func aRejectedStepKeepsItsCodeAndTheStepAfterItIsNotStarted() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let future = try DossierChangeTests.fixture("05-birth-future-dob-long-an.json")
        let code = future["code"]!.stringValue!
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": future]]])
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let steps = try #require(try await sim.interconnections()[code]?["steps"]?.arrayValue)
        let birth = try #require(steps.first { $0["status"] == "rejected" })
        #expect(birth["reasons"]?[0]?["code"]?.stringValue == "business-rule", "the agency's code survives: \(birth)")
        let next = try #require(steps.first { $0["step"] != birth["step"] })
        #expect(next["status"] == "not-started", "\(next)")
        #expect(next["reasons"]?[0]?["message"]?.stringValue?.contains("was rejected") == true)
        await sim.stop()
    }
}
