import Dispatch
import Synchronization

/// Serves `/metrics`, `/healthz` and `/readyz` for the daemon on the project's HTTP server.
/// Handlers run on connection threads, so they may wait for the engine and journal.
public final class MetricsServer: Sendable {
    private let server: HTTPServer

    /// A server answering from `engine` and `journal`; it listens only once started.
    public init(engine: SyncEngine, journal: any Journal) {
        server = HTTPServer(limits: HTTPServerLimits(maxBodyBytes: 1_024, maxConnections: 32, idleTimeoutSeconds: 10, requestDeadlineSeconds: 2,
                                                    firstRequestSeconds: 2)) { request in
            guard request.method == "GET" else { return .error(405, code: "method-not-allowed", message: "only GET") }
            switch request.path {
            case "/metrics":
                guard let text = Self.wait(seconds: 10, { await Self.scrape(engine: engine, journal: journal) }) else {
                    return .error(503, code: "unavailable", message: "the engine did not answer in time")
                }
                return HTTPServerResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: Array(text.utf8))
            case "/healthz":
                // Alive when the engine's actor answers promptly.
                let alive = Self.wait(seconds: 2) { await engine.statusLine() } != nil
                return alive ? HTTPServerResponse(status: 200, body: Array("ok\n".utf8))
                    : HTTPServerResponse(status: 503, body: Array("engine not answering\n".utf8))
            case "/readyz":
                let ready = Self.wait(seconds: 2) { await engine.isAcceptingWork } ?? false
                return ready ? HTTPServerResponse(status: 200, body: Array("ready\n".utf8))
                    : HTTPServerResponse(status: 503, body: Array("draining\n".utf8))
            default:
                return .error(404, code: "not-found", message: "try /metrics, /healthz or /readyz")
            }
        }
    }

    /// Starts listening; returns the bound port.
    public func start(on address: ListenAddress) throws(HTTPServerError) -> UInt16 {
        try server.start(on: address)
    }

    /// Stops accepting, closes every connection and waits for running handlers. Idempotent.
    public func stop() {
        server.stop()
    }

    static func scrape(engine: SyncEngine, journal: any Journal) async -> String {
        let counters = await engine.counters
        let circuits = await engine.circuitStates()
        let transfers = (try? await journal.transferCounts()) ?? TransferCounts(byAgency: [:], oldestPending: [:])
        let dossiers = (try? await journal.dossierCounts()) ?? [:]
        let cursor = (try? await journal.cursor())?.flatMap { Timestamp(rfc3339: $0.updatedSince) }
        let instance = engine.instance
        let live = (try? await journal.instances())?.filter { $0.stoppedAt == nil && $0.heartbeatAt >= instance.liveSince }.count ?? 1
        let leases = ((try? await journal.leases()) ?? []).reduce(into: [String: Bool]()) { $0[$1.name] = $1.holder == instance.id }
        var gauges = MetricsExposition.Gauges(transfers: transfers, dossiers: dossiers, registerCursor: cursor, circuits: circuits,
                                              liveInstances: live, leases: leases, now: .now())
        gauges.writeBacks = (try? await journal.writeBackCounts()) ?? WriteBackCounts()
        gauges.auditTip = (try? await journal.chainTip()) ?? .origin
        gauges.deadlines = await engine.deadlineGauges()
        gauges.openIncidents = (try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 1_000)) ?? []
        let register = await engine.registerHealth.gauge
        gauges.register = .init(up: register.up, lastSuccess: register.lastSuccess, consecutiveFailures: register.consecutiveFailures)
        return MetricsExposition.render(counters: counters, gauges: gauges, instance: instance.id)
    }

    /// Runs async work from a blocking thread, giving up after `seconds`.
    private static func wait<T: Sendable>(seconds: Int, _ work: @escaping @Sendable () async -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        Task {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return result.withLock { $0 }
    }
}
