import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Synchronization
import Testing

/// Onboarding by configuration alone: an agency that speaks none of the contract joins a route.
@Suite("End to end: onboarding an agency", .serialized)
struct OnboardingTests {
    /// A residence registry as a province might run it: `PUT /api/cu-tru/dang-ky/{code}`,
    /// answering `200 {"ok":true,"residenceNo":…}` at once, with no receipts, no status and no
    /// idempotency keys of its own. It counts what it receives.
    final class ResidenceRegistry: Sendable {
        let server: HTTPServer
        let port: UInt16
        let inbox = Inbox()

        /// Request bodies by dossier code.
        final class Inbox: Sendable {
            let bodies = Mutex<[String: [JSONValue]]>([:])
        }

        init() throws {
            let inbox = self.inbox
            server = HTTPServer { request in
                guard request.method == "PUT", request.path.hasPrefix("/api/cu-tru/dang-ky/"), request.headers["X-Api-Key"] == "residence-key",
                      let body = try? JSONParser.parse(request.body), let code = body["maHoSo"]?.stringValue else {
                    return .json(200, ["ok": false, "message": "yêu cầu không hợp lệ"])
                }
                inbox.bodies.withLock { $0[code, default: []].append(body) }
                return .json(200, ["ok": true, "residenceNo": .string("CT-" + code)])
            }
            port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        }

        deinit { server.stop() }
    }

    @Test func aFifthAgencyAnsweringOkWithoutReceiptsIsOnboardedByConfigAlone() async throws {
        let directory = try TemporaryDirectory()
        let residence = try ResidenceRegistry()
        try directory.write("residence.key", "residence-key\n")
        let sim = try await SimulatorProcess(in: directory)
        let keyFile = directory.file("residence.key")
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["agencies", "residence"], [
                "baseURL": .string("http://127.0.0.1:\(residence.port)"),
                "auth": ["type": "api-key", "header": "X-Api-Key", "keyFile": .string(keyFile)],
                "dialect": ["method": "PUT", "success": ["pointer": "/ok", "values": [true]], "decision": nil, "result": ""],
            ])
            guard case .array(var routes)? = config["routes"], case .object(var birth) = routes[0], case .array(var steps)? = birth["steps"] else { return }
            steps.append(["name": "residence", "agency": "residence", "operation": "/api/cu-tru/dang-ky/{/code}", "needs": ["birth"],
                          "payload": ["maHoSo": "/code", "soDinhDanh": "steps.birth.result/personalId", "hoTen": "steps.birth.result/fullName",
                                      "diaChi": "/form/residence/address"]])
            birth["steps"] = .array(steps)
            routes[0] = .object(birth)
            config["routes"] = .array(routes)
        }
        let run = try await daemon.runUntilIdle()
        #expect(run.exitStatus == 0, "\(run.stderr.suffix(2_000))")

        let records = try await sim.interconnections()
        let births = records.filter { _, record in
            record["steps"]?.arrayValue?.contains { $0["step"] == "birth" && $0["status"] == "completed" } == true
        }
        #expect(births.count >= 3)
        let received = residence.inbox.bodies.withLock { $0 }
        for (code, record) in births {
            let step = record["steps"]?.arrayValue?.first { $0["step"] == "residence" }
            #expect(step?["status"] == "completed", "\(code): \(String(describing: step))")
            #expect(step?["result"]?["residenceNo"]?.stringValue == "CT-" + code)
            #expect(received[code]?.count == 1, "\(code) was sent once, not three times")
            #expect(received[code]?.first?["soDinhDanh"]?.stringValue?.count == 12, "the birth's new personal ID feeds the residence step")
        }
        #expect(Set(received.keys) == Set(births.keys), "only dossiers whose birth completed reach the residence registry")
        await sim.stop()
    }
}
