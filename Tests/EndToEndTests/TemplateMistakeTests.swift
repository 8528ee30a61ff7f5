import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// A template mistake reaches no citizen: the agency's 422 on a value the configuration
/// supplies is a configuration error, dead with a hint, never a supplement request.
@Suite("End to end: a mistyped template", .serialized)
struct TemplateMistakeTests {
    /// Sets the marital-status confirmation's `purpose` template in a config held as JSON.
    static func setPurpose(_ config: inout [String: JSONValue], _ template: JSONValue) {
        guard case .array(var routes) = config["routes"] ?? [] else { return }
        for index in routes.indices {
            guard case .object(var route) = routes[index], case .array(var steps) = route["steps"] ?? [] else { continue }
            for step in steps.indices {
                guard case .object(var members) = steps[step], case .object(var payload) = members["payload"] ?? [:],
                      payload["purpose"] != nil else { continue }
                payload["purpose"] = template
                members["payload"] = .object(payload)
                steps[step] = .object(members)
            }
            route["steps"] = .array(steps)
            routes[index] = .object(route)
        }
        config["routes"] = .array(routes)
    }

    @Test func aRefusalOfAConfiguredValueIsAConfigurationErrorNotASupplementRequest() async throws {
        let directory = try TemporaryDirectory()
        let (sim, land) = try await DossierChangeTests.simulator(with: "12-land-ok-tan-thanh.json", in: directory)
        let code = land["code"]!.stringValue!
        // The confirmation's purpose is a constant of the template, mistyped as a number.
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { Self.setPurpose(&$0, ["$const": 7]) }
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
        let (sim, future) = try await DossierChangeTests.simulator(with: "05-birth-future-dob-long-an.json", in: directory)
        let code = future["code"]!.stringValue!
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

    /// The request as sent is kept: after the template is fixed, a plain replay sends the old
    /// request again under its key (the agency answers as before, never "a different request
    /// under this key"); --rerender --dry-run shows the change, and --rerender sends it under a new key.
    @Test func aReplayAfterATemplateFixSendsWhatWasSentUnlessAskedToRenderAgain() async throws {
        let directory = try TemporaryDirectory()
        let (sim, land) = try await DossierChangeTests.simulator(with: "12-land-ok-tan-thanh.json", in: directory)
        let code = land["code"]!.stringValue!
        let broken = try DaemonHarness(simulator: sim, directory: directory) { Self.setPurpose(&$0, ["$const": 7]) }
        #expect(try await broken.runUntilIdle().exitStatus == 0)
        let journal = try broken.journal()
        let dead = try #require(try await journal.transfers(TransferQuery(states: [.dead], dossierCode: code)).first)
        #expect(dead.request?.contains(#""purpose":7"#) == true, "the request is kept as sent: \(dead.request ?? "nil")")
        // The template is fixed (the harness rewrites the same config file).
        let fixed = try DaemonHarness(simulator: sim, directory: directory) { Self.setPurpose(&$0, ["$const": "land-transfer"]) }
        let ctl = { (arguments: [String]) throws -> ProcessOutput in
            try runProcess(Executables.path("interlinkctl"), ["replay", "\(dead.id)"] + arguments + ["--journal", fixed.journalPath])
        }
        #expect(try ctl(["--reason", "try again"]).status == 0)
        #expect(try await fixed.runUntilIdle().exitStatus == 0)
        let again = try #require(try await journal.transfer(id: dead.id))
        #expect(again.state == .dead && again.lastError?.contains("configuration error") == true, "the same request got the same answer")
        #expect(again.lastError?.contains("different request") != true)
        let preview = try runProcess(Executables.path("interlinkctl"), ["replay", "\(dead.id)", "--rerender", "--dry-run", "--config", fixed.configPath])
        #expect(preview.stdout.contains("/purpose: 7 → \"land-transfer\""), "\(preview.stdout)\(preview.stderr)")
        #expect(try ctl(["--rerender", "--reason", "purpose fixed"]).status == 0)
        #expect(try await fixed.runUntilIdle().exitStatus == 0)
        let rendered = try #require(try await journal.transfer(id: dead.id))
        #expect(rendered.state == .completed, "\(rendered.state) \(rendered.lastError ?? "")")
        #expect(rendered.idempotencyKey.hasSuffix(":resend-1") && rendered.request?.contains("land-transfer") == true)
        await journal.close()
        await sim.stop()
    }
}
