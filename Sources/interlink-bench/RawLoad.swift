import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// The raw limit: the same number and mix of requests the daemon makes for the generated
/// dossiers (register pages, each step's POST, the write-back PUT), sent by `HTTPClient` with
/// the same per-endpoint concurrency, with no journal and no engine.
enum RawLoad {
    struct Result {
        let requests: Int
        let seconds: Double
        /// This process's CPU (user + system) while the requests ran: the client's cost.
        let clientCPUSeconds: Double
        /// The simulator's CPU meanwhile: requests per CPU-second is what it could serve with a
        /// core to itself, so its headroom over the client shows who set the pace.
        var simulatorCPUSeconds = 0.0
        var requestsPerSecond: Double { Double(requests) / seconds }
        var simulatorRequestsPerCPUSecond: Double { Double(requests) / max(0.001, simulatorCPUSeconds) }
        /// CPU microseconds per request.
        func perRequest(_ cpuSeconds: Double) -> Double { cpuSeconds * 1e6 / Double(max(1, requests)) }
    }

    /// Runs the load against `simulator` with `config`'s endpoints and limits, and measures the
    /// simulator's CPU too.
    static func run(against simulator: SimulatorProcess, config: InterlinkConfig, dossiers count: Int, seed: UInt64) async throws -> Result {
        let before = ProcessReading(pid: simulator.process.pid)?.cpuSeconds ?? 0
        var result = try await run(config: try pointed(config, at: simulator), dossiers: count, seed: seed)
        result.simulatorCPUSeconds = (ProcessReading(pid: simulator.process.pid)?.cpuSeconds ?? 0) - before
        return result
    }

    /// The same endpoints and limits as the daemon's, pointed at `simulator`.
    static func pointed(_ config: InterlinkConfig, at simulator: SimulatorProcess) throws -> InterlinkConfig {
        var copy = config
        copy.register.endpoint.baseURL = simulator.urls["register"]!
        for name in copy.agencies.keys { copy.agencies[name]!.endpoint.baseURL = simulator.urls[name]! }
        return copy
    }

    private static func run(config: InterlinkConfig, dossiers count: Int, seed: UInt64) async throws -> Result {
        let http = try HTTPClient(maxConnections: 256)
        defer { http.shutdown() }
        let register = EndpointClient(name: "register", config: config.register.endpoint, http: http)
        let agencies = config.agencies.mapValues { EndpointClient(name: $0.name, config: $0.endpoint, http: http) }
        let dossiers = DossierGenerator(seed: seed).generate(count: count).dossiers
        // Placeholder results so every template renders; the agencies answer as they would.
        let results: [String: JSONValue] = [
            "birth": ["personalId": "096225000001", "fullName": "Trần Minh Khang", "dateOfBirth": "2025-11-09", "certificateNo": "KS-1"],
            "death": ["certificateNo": "KT-1"], "marital-status": ["confirmationNo": "XNTT-1"],
        ]
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let started = clock.now
        let pages = (count + config.register.pageSize - 1) / config.register.pageSize
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for page in 0..<pages {
                group.addTask {
                    _ = await register.send("GET", "/dossiers" + EndpointClient.queryString([("limit", String(config.register.pageSize)),
                                                                                             ("afterCode", "raw-\(page)")]))
                    return 1
                }
            }
            for fixture in dossiers {
                guard let route = config.route(forProcedure: fixture.dossier["procedureCode"]?.stringValue ?? "") else { continue }
                group.addTask {
                    var sent = 0
                    for step in route.steps {
                        guard let body = try? step.payload.render(dossier: fixture.dossier, stepResults: results),
                              let client = agencies[step.agency] else { continue }
                        _ = await client.send("POST", step.operation, body: JSONWriter.bytes(body), idempotencyKey: "raw:\(fixture.code):\(step.name)")
                        sent += 1
                    }
                    let writeBack = JSONWriter.bytes(["dossierVersion": 1, "outcome": "completed", "steps": [], "syncedAt": .string(Timestamp.now().description)])
                    _ = await register.send("PUT", "/dossiers/\(fixture.code)/interconnection", body: writeBack, idempotencyKey: "raw:\(fixture.code):wb")
                    return sent + 1
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - started
        return Result(requests: total, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      clientCPUSeconds: processCPUSeconds() - cpuBefore)
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
