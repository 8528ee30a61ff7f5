import Foundation
import Interlink
import InterlinkTestSupport
import InterlinkSim
import Testing

@Suite("Simulated agencies contract")
struct SimulatorAgencyTests {
    @Test func registersABirthAtOnceAndReplaysTheSameKey() async throws {
        let sim = try SimulatorHarness()
        let first = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H1"), key: "H1/1/birth")
        #expect(first.status == 200)
        let body = first.jsonBody
        #expect(body["status"] == "completed")
        let personalID = try #require(body["result"]?["personalId"]?.stringValue)
        #expect(personalID.count == 12 && personalID.hasPrefix("0962"))
        #expect(body["result"]?["fullName"] == "Trần Minh Khang")
        let replay = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H1"), key: "H1/1/birth")
        #expect(replay.status == 200 && replay.body == first.body)
        let effects = try await sim.effects(agency: "civil-registry")
        #expect(effects.count == 1)
        #expect(effects.first?["idempotencyKey"] == "H1/1/birth")
        #expect(effects.first?["dossierCode"] == "H1")
        #expect(effects.first?["receipt"] == body["receipt"])
    }

    @Test func followsIdempotencyKeyRules() async throws {
        // The first request stays in flight for 45 s: ample for the repeat to arrive, however loaded the
        // machine (5 s was not, with the whole suite running beside it, nor 15 s on a slower one).
        let sim = try SimulatorHarness(faults: ["civil-registry": { var spec = FaultSpec(); spec.latencyMs = 45_000; return spec }()])
        #expect(try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H2")).status == 400)
        async let slow = sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H2"), key: "H2/1/birth", timeoutMs: 90_000)
        // Wait until the first request holds its key (not merely arrived), then repeat it while it is processed.
        // Polled with a sleep, never a yield: a busy loop here held one of the two cooperative
        // threads, and with another test blocking the second, `slow` never ran (the suite hung).
        #expect(await ChildProcess.waitUntil(timeout: .seconds(30)) {
            ((try? await sim.control("GET", "/_sim/stats"))?["keysInFlight"]?.intValue ?? 0) >= 1
        }, "the first request holds its key")
        let inFlight = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H2"), key: "H2/1/birth")
        #expect(inFlight.status == 409 && inFlight.jsonBody["error"]?["code"] == "idempotency-key-in-flight")
        #expect(try await slow.status == 200)
        let reused = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H3"), key: "H2/1/birth")
        #expect(reused.status == 422 && reused.jsonBody["error"]?["code"] == "idempotency-key-reused")
        #expect(try await sim.effects().count == 1)
    }

    @Test func answersValidationFailuresWithFieldPointers() async throws {
        let sim = try SimulatorHarness()
        var body = SampleRequests.birth("H4")
        if case .object(var members) = body { members["mother"] = ["fullName": "Nguyễn Thị Mai", "personalId": "12345"]; body = .object(members) }
        let response = try await sim.send("civil-registry", "POST", "/births", body: body, key: "H4/1/birth")
        #expect(response.status == 422)
        let error = response.jsonBody["error"]
        #expect(error?["code"] == "validation-failed")
        let pointers = Set(error?["fields"]?.arrayValue?.compactMap { $0["pointer"]?.stringValue } ?? [])
        #expect(pointers == ["/mother/personalId", "/mother/dateOfBirth"])
        #expect(try await sim.effects().isEmpty)
    }

    @Test(arguments: [
        ("births", SampleRequests.birth("R1", dateOfBirth: "2205-11-12"), "/child/dateOfBirth"),
        ("deaths", SampleRequests.death("R2", born: "1952-03-01", died: "1925-11-14"), "/deceased/dateOfDeath"),
    ])
    func rejectsDossiersThatBreakABusinessRule(operation: String, body: JSONValue, pointer: String) async throws {
        let sim = try SimulatorHarness()
        let response = try await sim.send("civil-registry", "POST", "/" + operation, body: body, key: "rule-\(operation)")
        #expect(response.status == 422)
        #expect(response.jsonBody["error"]?["code"] == "business-rule")
        #expect(response.jsonBody["error"]?["fields"]?[0]?["pointer"]?.stringValue == pointer)
    }

    @Test func insuranceAndFuneralNeedNumbersTheCivilRegistryIssued() async throws {
        let sim = try SimulatorHarness()
        let madeUp = try await sim.send("insurance", "POST", "/health-insurance-cards",
                                        body: SampleRequests.healthCard("H5", personalID: "096225999999", certificate: "KS-1"), key: "H5/1/card")
        #expect(madeUp.status == 422 && madeUp.jsonBody["error"]?["fields"]?[0]?["pointer"] == "/holder/personalId")
        let birth = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H5"), key: "H5/1/birth").jsonBody["result"]!
        let card = try await sim.send("insurance", "POST", "/health-insurance-cards",
                                      body: SampleRequests.healthCard("H5", personalID: birth["personalId"]!.stringValue!,
                                                                      certificate: birth["certificateNo"]!.stringValue!), key: "H5/1/card2")
        #expect(card.status == 200)
        #expect(card.jsonBody["result"]?["holderName"] == birth["fullName"])
        #expect(card.jsonBody["result"]?["dateOfBirth"] == birth["dateOfBirth"])

        let noDeath = try await sim.send("insurance", "POST", "/funeral-allowances", body: SampleRequests.funeral("D1", certificate: "KT-0"), key: "D1/1/f")
        #expect(noDeath.status == 422 && noDeath.jsonBody["error"]?["fields"]?[0]?["pointer"] == "/deathCertificateNo")
        let death = try await sim.send("civil-registry", "POST", "/deaths", body: SampleRequests.death("D1"), key: "D1/1/death").jsonBody["result"]!
        let allowance = try await sim.send("insurance", "POST", "/funeral-allowances",
                                           body: SampleRequests.funeral("D1", certificate: death["certificateNo"]!.stringValue!), key: "D1/1/f2")
        #expect(allowance.status == 200 && allowance.jsonBody["result"]?["amountVnd"] == 23_400_000)
    }

    @Test func landChecksTheConfirmationAndTheParcel() async throws {
        let sim = try SimulatorHarness()
        let confirmation = try await sim.send("civil-registry", "POST", "/marital-status-confirmations",
                                              body: SampleRequests.confirmation("H12.22-251120-0003"), key: "L1/1/ms").jsonBody["result"]!
        let number = confirmation["confirmationNo"]!.stringValue!
        let ok = try await sim.send("land", "POST", "/registrations",
                                    body: SampleRequests.registration("H12.22-251120-0003", confirmation: number, sheet: "23", parcel: "147"), key: "L1/1/reg")
        #expect(ok.status == 200 && ok.jsonBody["result"]?["registrationNo"] != nil)
        let unknownParcel = try await sim.send("land", "POST", "/registrations",
                                               body: SampleRequests.registration("X", confirmation: number, sheet: "41", parcel: "1208"), key: "L2")
        #expect(unknownParcel.status == 422 && unknownParcel.jsonBody["error"]?["fields"]?[0]?["pointer"] == "/parcel")
        let madeUp = try await sim.send("land", "POST", "/registrations",
                                        body: SampleRequests.registration("X", confirmation: "XNTT-0", sheet: "23", parcel: "147"), key: "L3")
        #expect(madeUp.status == 422 && madeUp.jsonBody["error"]?["fields"]?[0]?["pointer"] == "/maritalStatusConfirmationNo")
    }

    @Test func rejectsAConfirmationOlderThanItsValidity() async throws {
        let sim = try SimulatorHarness()
        // Fixture 15 carries simulate.confirmationAgeDays = 200; a confirmation is valid for 180 days.
        let code = "H14.04-251120-0011"
        let fixture = try await sim.send("register", "GET", "/dossiers/\(code)").jsonBody["form"]!
        let confirmation = try await sim.send("civil-registry", "POST", "/marital-status-confirmations",
                                              body: SampleRequests.confirmation(code), key: "stale/ms").jsonBody["result"]!
        let parcel = fixture["parcel"]!
        let response = try await sim.send("land", "POST", "/registrations",
                                          body: SampleRequests.registration(code, confirmation: confirmation["confirmationNo"]!.stringValue!,
                                                                            sheet: parcel["mapSheetNo"]!.stringValue!, parcel: parcel["parcelNo"]!.stringValue!),
                                          key: "stale/reg")
        #expect(response.status == 422)
        #expect(response.jsonBody["error"]?["fields"]?[0]?["message"]?.stringValue?.contains("expired") == true)
    }

    @Test func injectsTheDiscrepancyAFixtureAsksFor() async throws {
        let sim = try SimulatorHarness()
        let code = "H26.05-251120-0021"  // fixture 06: simulate.discrepancy = holderName
        let birth = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth(code), key: "dis/birth").jsonBody["result"]!
        let card = try await sim.send("insurance", "POST", "/health-insurance-cards",
                                      body: SampleRequests.healthCard(code, personalID: birth["personalId"]!.stringValue!,
                                                                      certificate: birth["certificateNo"]!.stringValue!), key: "dis/card").jsonBody["result"]!
        #expect(card["holderName"] != birth["fullName"])
        #expect(card["dateOfBirth"] == birth["dateOfBirth"])
    }

    @Test func defersDecisionsToReceiptsAndCancelsUndecidedOnes() async throws {
        var deferred = FaultSpec()
        deferred.decisionDelayMs = 60_000  // undecided for the whole test, however slow the machine
        let sim = try SimulatorHarness(faults: ["civil-registry": deferred])
        let accepted = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H7"), key: "H7/1/birth")
        #expect(accepted.status == 202 && accepted.jsonBody["status"] == "accepted")
        let receipt = try #require(accepted.jsonBody["receipt"]?.stringValue)
        #expect(try await sim.send("civil-registry", "GET", "/receipts/\(receipt)").jsonBody["status"] == "processing")
        let cancel = try await sim.send("civil-registry", "POST", "/receipts/\(receipt)/cancel", body: [:], key: "c1")
        #expect(cancel.status == 200 && cancel.jsonBody["status"] == "cancelled")
        #expect(try await sim.send("civil-registry", "GET", "/receipts/\(receipt)").jsonBody["status"] == "cancelled")
        #expect(try await sim.send("civil-registry", "GET", "/receipts/NOPE").status == 404)
        #expect(try await sim.send("civil-registry", "POST", "/receipts/\(receipt)/cancel", body: [:]).status == 400)

        try await sim.setFaults(["civil-registry": ["decisionDelayMs": 1]])
        let quick = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H8"), key: "H8/1/birth")
        let decidedReceipt = try #require(quick.jsonBody["receipt"]?.stringValue)
        var decided = JSONValue.null
        while decided["status"] != "completed" {
            decided = try await sim.send("civil-registry", "GET", "/receipts/\(decidedReceipt)").jsonBody
        }
        #expect(decided["result"]?["personalId"]?.stringValue?.count == 12)
        #expect(try await sim.send("civil-registry", "POST", "/receipts/\(decidedReceipt)/cancel", body: [:], key: "c2").status == 409)
    }

    @Test func defersBusinessRejectionsToTheReceipt() async throws {
        var deferred = FaultSpec()
        deferred.decisionDelayMs = 1
        let sim = try SimulatorHarness(faults: ["civil-registry": deferred])
        let accepted = try await sim.send("civil-registry", "POST", "/births", body: SampleRequests.birth("H9", dateOfBirth: "2205-01-01"), key: "H9")
        #expect(accepted.status == 202)
        var decided = JSONValue.null
        while decided["status"] != "rejected" {
            decided = try await sim.send("civil-registry", "GET", "/receipts/\(accepted.jsonBody["receipt"]!.stringValue!)").jsonBody
        }
        #expect(decided["reasons"]?[0]?["pointer"] == "/child/dateOfBirth")
    }

    @Test func servesEveryPublishedRouteAndPublishesEveryServedRoute() async throws {
        let sim = try SimulatorHarness()
        for route in SimulatorRoutes.all {
            let document = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath:
                Executables.packageRoot + "/Fixtures/openapi/\(route.document).openapi.json")))
            #expect(document["paths"]?[route.path]?[route.method.lowercased()] != nil, "\(route) is not in the OpenAPI document")
            let service = route.document == "simulator-control" ? "land" : route.document
            var path = route.path.replacingOccurrences(of: "{code}", with: "H12.22-251120-0001")
                .replacingOccurrences(of: "{receipt}", with: "NOPE")
            if service == "register" { path = String(path.dropFirst("/api/v1".count)) }
            let response = try await sim.send(service, route.method, path, body: route.method == "GET" ? nil : [:], key: "route-check")
            // 404 is only allowed where the route exists but the named item does not.
            let itemMissing = path.contains("NOPE") || path.hasSuffix("/interconnection")
            #expect(response.status != 404 || itemMissing, "\(route.method) \(route.path) is not served")
        }
    }
}
