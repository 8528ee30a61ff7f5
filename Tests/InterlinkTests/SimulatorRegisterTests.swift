import Foundation
import Interlink
import InterlinkTestSupport
import InterlinkSim
import Testing

@Suite("Simulated register contract")
struct SimulatorRegisterTests {
    @Test func refusesRequestsWithoutTheBearerToken() async throws {
        let sim = try SimulatorHarness()
        #expect(try await sim.send("register", "GET", "/dossiers", token: "wrong").status == 401)
        #expect(try await sim.send("civil-registry", "POST", "/births", body: [:], key: "k", token: "demo-register-token").status == 401)
    }

    @Test func pagesThroughEveryDossierInKeysetOrder() async throws {
        let sim = try SimulatorHarness(generated: 40)
        var codes: [String] = []
        var keys: [String] = []
        var query = "?limit=7"
        while true {
            let page = try await sim.send("register", "GET", "/dossiers" + query).jsonBody
            for item in page["items"]?.arrayValue ?? [] {
                codes.append(item["code"]?.stringValue ?? "")
                keys.append((item["updatedAt"]?.stringValue ?? "") + "|" + (item["code"]?.stringValue ?? ""))
            }
            guard let next = page["next"], next != .null else { break }
            let since = next["updatedSince"]!.stringValue!.replacingOccurrences(of: ":", with: "%3A")
            query = "?limit=7&updatedSince=\(since)&afterCode=\(next["afterCode"]!.stringValue!)"
        }
        #expect(codes.count == 55)
        #expect(Set(codes).count == 55)
        #expect(keys == keys.sorted())
    }

    @Test func rejectsBadPagingParameters() async throws {
        let sim = try SimulatorHarness()
        #expect(try await sim.send("register", "GET", "/dossiers?limit=501").status == 400)
        #expect(try await sim.send("register", "GET", "/dossiers?limit=0").status == 400)
        #expect(try await sim.send("register", "GET", "/dossiers?updatedSince=yesterday").status == 400)
    }

    @Test func fetchesOneDossierOr404() async throws {
        let sim = try SimulatorHarness()
        let dossier = try await sim.send("register", "GET", "/dossiers/H12.22-251120-0001").jsonBody
        #expect(dossier["procedureCode"] == "1.001193")
        #expect(try await sim.send("register", "GET", "/dossiers/NOPE").status == 404)
    }

    static func writeBack(version: Int, outcome: String = "completed") -> JSONValue {
        ["dossierVersion": .number(Double(version)), "outcome": .string(outcome),
         "steps": [["step": "birth", "agency": "civil-registry", "status": "completed", "reference": "HT-1"]],
         "syncedAt": "2025-11-20T02:15:03.120Z"]
    }

    @Test func storesWriteBacksIdempotently() async throws {
        let sim = try SimulatorHarness()
        let path = "/dossiers/H12.22-251120-0001/interconnection"
        #expect(try await sim.send("register", "GET", path).status == 404)
        #expect(try await sim.send("register", "PUT", path, body: Self.writeBack(version: 1)).status == 400)
        let first = try await sim.send("register", "PUT", path, body: Self.writeBack(version: 1), key: "wb-1")
        #expect(first.status == 200)
        let again = try await sim.send("register", "PUT", path, body: Self.writeBack(version: 1), key: "wb-1")
        #expect(again.status == 200 && again.body == first.body)
        let reused = try await sim.send("register", "PUT", path, body: Self.writeBack(version: 1, outcome: "failed"), key: "wb-1")
        #expect(reused.status == 422 && reused.jsonBody["error"]?["code"] == "idempotency-key-reused")
        #expect(try await sim.send("register", "GET", path).jsonBody["outcome"] == "completed")
        #expect(try await sim.send("register", "PUT", "/dossiers/NOPE/interconnection", body: Self.writeBack(version: 1), key: "wb-2").status == 404)
        #expect(try await sim.effects(agency: "register").count == 1)
    }

    @Test func answersVersionConflictAfterTheDossierChanged() async throws {
        let sim = try SimulatorHarness()
        var dossier = try await sim.send("register", "GET", "/dossiers/H12.22-251120-0001").jsonBody
        if case .object(var members) = dossier {
            members["status"] = "cancelled"
            dossier = .object(members)
        }
        let stored = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": dossier]]])
        #expect(stored["items"]?[0]?["version"] == 2)
        let conflict = try await sim.send("register", "PUT", "/dossiers/H12.22-251120-0001/interconnection",
                                          body: Self.writeBack(version: 1), key: "wb-v1")
        #expect(conflict.status == 409)
        #expect(conflict.jsonBody["error"]?["code"] == "version-conflict")
        #expect(conflict.jsonBody["error"]?["currentVersion"] == 2)
        let reread = try await sim.send("register", "GET", "/dossiers/H12.22-251120-0001").jsonBody
        #expect(reread["version"] == 2 && reread["status"] == "cancelled")
    }

    @Test func lateCommitsAppearBehindPositionsAlreadyListed() async throws {
        let sim = try SimulatorHarness()
        var dossier = try await sim.send("register", "GET", "/dossiers/H12.22-251120-0001").jsonBody
        if case .object(var members) = dossier {
            members["code"] = "LATE-1"
            dossier = .object(members)
        }
        // A first dossier sets the cursor at "now"; a late one then lands up to a minute earlier.
        var fresh = dossier
        if case .object(var members) = fresh { members["code"] = "FRESH-1"; fresh = .object(members) }
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": fresh]]])
        let all = try await sim.send("register", "GET", "/dossiers?limit=500").jsonBody["items"]!.arrayValue!
        let cursor = all.last!
        #expect(cursor["code"] == "FRESH-1")
        try await sim.setFaults(["register": ["lateCommitSkewMs": 60_000]])
        let late = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["dossier": dossier]]])
        let lateAt = Timestamp(rfc3339: late["items"]![0]!["updatedAt"]!.stringValue!)!
        #expect(lateAt < Timestamp(rfc3339: cursor["updatedAt"]!.stringValue!)!)
        let since = cursor["updatedAt"]!.stringValue!.replacingOccurrences(of: ":", with: "%3A")
        let after = try await sim.send("register", "GET", "/dossiers?updatedSince=\(since)&afterCode=FRESH-1").jsonBody
        #expect(after["items"]?.arrayValue?.isEmpty == true)
        let lookBack = Timestamp(rfc3339: cursor["updatedAt"]!.stringValue!)!.adding(milliseconds: -120_000).description
        let window = try await sim.send("register", "GET", "/dossiers?updatedSince=\(lookBack.replacingOccurrences(of: ":", with: "%3A"))").jsonBody
        #expect(window["items"]?.arrayValue?.contains { $0["code"] == "LATE-1" } == true)
    }

    @Test func servesRawBytesForMalformedDossierTests() async throws {
        let sim = try SimulatorHarness(fixtures: false)
        _ = try await sim.control("POST", "/_sim/dossiers", body: ["items": [["code": "BROKEN-1", "raw": #"{"code":"BROKEN-1","version":"#]]])
        let page = try await sim.send("register", "GET", "/dossiers")
        #expect(page.status == 200)
        #expect((try? page.json()) == nil)
    }
}
