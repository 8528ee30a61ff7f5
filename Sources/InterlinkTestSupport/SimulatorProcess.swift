import Foundation
public import Interlink
import InterlinkSim

/// `interlink-sim` as a separate process on kernel-chosen ports, controlled over `/_sim/*`.
public final class SimulatorProcess: Sendable {
    /// The engine issue's fault mix, on the register and every agency: 5xx 10%, timeouts 5%
    /// (answered after 1.5 s), resets 2%, malformed JSON 2%. The end-to-end fault tests and the
    /// reliability scenarios all run this one mix.
    public static let faultMix: [String] = ["register", "civil-registry", "land", "insurance"].flatMap { service in
        ["--fault", "\(service).error5xxRate=0.1", "--fault", "\(service).timeoutRate=0.05", "--fault", "\(service).timeoutDelayMs=1500",
         "--fault", "\(service).resetRate=0.02", "--fault", "\(service).malformedJsonRate=0.02"]
    }

    public let process: ChildProcess
    public let urls: [String: String]
    /// `contract` or `portal`, as `--dialect` chose: which config file the harness starts from.
    public let dialect: String
    private let client: HTTPClient

    /// Starts the simulator with the repository's fixtures and `arguments`, and reads its
    /// announcement line to learn the ports.
    public init(arguments: [String] = [], in directory: TemporaryDirectory) async throws {
        process = try ChildProcess(Executables.path("interlink-sim"),
                                   ["--fixtures", Executables.packageRoot + "/Fixtures/dossiers",
                                    "--parcels", Executables.packageRoot + "/Fixtures/land-parcels.json"] + arguments,
                                   outputDirectory: directory.path, name: "sim")
        dialect = arguments.firstIndex(of: "--dialect").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil } ?? "contract"
        let process = self.process
        await ChildProcess.waitUntil(timeout: .seconds(20)) { process.stdout.contains("\n") || process.exitStatus != nil }
        guard let line = process.stdout.split(separator: "\n").first,
              let announcement = try? JSONParser.parse(String(line)), case .object(let members) = announcement else {
            throw SimulatorError("interlink-sim did not announce its ports: \(process.stderr)")
        }
        urls = members.compactMapValues(\.stringValue)
        client = try HTTPClient()
    }

    deinit {
        process.signal(SIGKILL)
        client.shutdown()
    }

    public func control(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        // The land port answers control calls unless land is down; then the register's does.
        for service in ["land", "register", "insurance"] {
            // Control calls go to the service's origin, whatever path its dialect serves under.
            let url = urls[service]!
            let authority = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
            let base = String(url.prefix(url.count - authority.count)) + String(authority.prefix { $0 != "/" })
            // Introspection of a large run (every effect, every write-back) runs to many megabytes.
            let options = HTTPRequestOptions(timeoutMs: 60_000, maxResponseBytes: 512 << 20)
            if let response = try? await client.send(HTTPRequest(method: method, url: base + path, body: body.map(JSONWriter.bytes), options: options)) {
                return try response.json()
            }
        }
        throw SimulatorError("no simulated service answered \(method) \(path)")
    }

    public func setFaults(_ services: [String: JSONValue], reset: Bool = false) async throws {
        _ = try await control("POST", "/_sim/faults", body: ["reset": .bool(reset), "services": .object(services)])
    }

    public func stats() async throws -> JSONValue { try await control("GET", "/_sim/stats") }

    public func effects() async throws -> [JSONValue] { try await control("GET", "/_sim/effects")["effects"]?.arrayValue ?? [] }

    public func interconnections() async throws -> [String: JSONValue] {
        try await control("GET", "/_sim/interconnections")["interconnections"]?.objectValue ?? [:]
    }

    public func stop() async {
        process.signal(SIGTERM)
        if await process.waitForExit(timeout: .seconds(10)) == nil { await process.terminate() }
    }
}
