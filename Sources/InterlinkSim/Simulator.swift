public import Interlink
import Synchronization

/// The simulated register and agencies, each on its own loopback port, sharing one world.
public final class Simulator: Sendable {
    public let world: SimulatedWorld
    private let servers: [String: HTTPServer]
    private let configuration: SimulatorConfiguration

    public init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        let world = SimulatedWorld(seed: configuration.seed, tokens: configuration.tokens)
        self.world = world
        let portal = configuration.dialect == .portal ? PortalDialect(world: world) : nil
        // Handlers need the servers (to play "down"), which exist only after the handlers.
        let directory = Mutex<[String: HTTPServer]>([:])
        var servers: [String: HTTPServer] = [:]
        for service in SimulatedWorld.services {
            // Large enough for the oversized-body cases of the bad-input corpus to reach the handler.
            let limits = HTTPServerLimits(maxBodyBytes: 8 << 20, maxConnections: 1_024)
            let handle: @Sendable (HTTPServerRequest) -> HTTPServerResponse = { request in
                let allowed = portal == nil ? SimulatorRoutes.methods(at: request.path, service: service) : []
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    var response = HTTPServerResponse.error(405, code: "method-not-allowed", message: "\(request.path) takes \(allowed.joined(separator: ", "))")
                    response.headers.add("Allow", allowed.joined(separator: ", "))
                    return response
                }
                return request.path.hasPrefix("/_sim/")
                    ? SimulatorControl.handle(request, world: world, suspend: { service, down in
                        Simulator.setDown(down, server: directory.withLock { $0[service] })
                    })
                    : portal?.handle(service: service, request: request) ?? world.handle(service: service, request: request)
            }
            // On the event loop, unless the request may sleep (injected latency or timeouts) or
            // is a control request (it may suspend this very server): those get a thread each.
            servers[service] = HTTPServer(limits: limits) { request in
                guard world.mayWait(service) || request.path.hasPrefix("/_sim/") else { return .now(handle(request)) }
                return .later { answer in SystemThread.detached(name: "sim-request") { answer(handle(request)) } }
            }
        }
        self.servers = servers
        directory.withLock { $0 = servers }
        for fixture in configuration.dossiers {
            world.putDossier(fixture.dossier, simulate: fixture.simulate, keepTimestamps: true)
        }
        world.addParcels(configuration.parcels)
        world.setFaults(configuration.faults)
    }

    /// Starts every service and returns the bound ports by service name.
    public func start() throws(HTTPServerError) -> [String: UInt16] {
        var ports: [String: UInt16] = [:]
        for service in SimulatedWorld.services {
            let requested = configuration.ports[service] ?? 0
            ports[service] = try servers[service]!.start(on: ListenAddress(host: configuration.host, port: requested))
            if configuration.faults[service]?.down == true { servers[service]!.suspend() }
        }
        return ports
    }

    /// The base URL clients use for `service` (the register's includes `/api/v1`; every
    /// portal service's, `/dvc`).
    public func baseURL(_ service: String) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let base = "http://\(host):\(servers[service]!.port)"
        if configuration.dialect == .portal { return base + PortalDialect.prefix }
        return service == "register" ? base + "/api/v1" : base
    }

    public func stop() {
        for server in servers.values { server.stop() }
    }

    static func setDown(_ down: Bool, server: HTTPServer?) {
        guard let server else { return }
        if down {
            server.suspend()
        } else {
            try? server.resume()
        }
    }
}
