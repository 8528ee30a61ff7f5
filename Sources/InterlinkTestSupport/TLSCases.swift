import Foundation
import Interlink

/// The TLS guarantees, case by case: what a real terminator offers, what the daemon's HTTP
/// client (the same `EndpointClient` it pushes with) is set up to trust, and whether the
/// request must get through. Shared by the end-to-end test and `make reliability`.
public struct TLSCase: Sendable {
    public let name: String
    public let mustConnect: Bool
    let profile: @Sendable (TestPKI) -> TLSTerminator.Profile
    let clientCertificate: Bool

    /// Every case the issue names: two accepted versions and mTLS, five refusals.
    public static let all: [TLSCase] = [
        TLSCase(name: "TLS 1.2, right CA and host", mustConnect: true, profile: { version($0, "TLSv1.2") }, clientCertificate: false),
        TLSCase(name: "TLS 1.3, right CA and host", mustConnect: true, profile: { version($0, "TLSv1.3") }, clientCertificate: false),
        TLSCase(name: "mTLS with the client certificate", mustConnect: true, profile: mutual, clientCertificate: true),
        TLSCase(name: "expired server certificate", mustConnect: false,
                profile: { TLSTerminator.Profile(certificate: $0.path("expired.pem"), key: $0.path("expired.key")) }, clientCertificate: false),
        TLSCase(name: "certificate for another host", mustConnect: false,
                profile: { TLSTerminator.Profile(certificate: $0.path("wrong-host.pem"), key: $0.path("wrong-host.key")) }, clientCertificate: false),
        TLSCase(name: "certificate from an unknown CA", mustConnect: false,
                profile: { TLSTerminator.Profile(certificate: $0.path("server-unknown-ca.pem"), key: $0.path("server.key")) }, clientCertificate: false),
        TLSCase(name: "server speaking only TLS 1.1", mustConnect: false, profile: { pki in
            var profile = version(pki, "TLSv1.1")
            profile.legacySecurityLevel = true
            return profile
        }, clientCertificate: false),
        TLSCase(name: "mTLS demanded, no client certificate", mustConnect: false, profile: mutual, clientCertificate: false),
    ]

    static func version(_ pki: TestPKI, _ version: String) -> TLSTerminator.Profile {
        var profile = TLSTerminator.Profile(certificate: pki.path("server.pem"), key: pki.path("server.key"))
        profile.minimumVersion = version
        profile.maximumVersion = version
        return profile
    }

    static func mutual(_ pki: TestPKI) -> TLSTerminator.Profile {
        var profile = TLSTerminator.Profile(certificate: pki.path("server.pem"), key: pki.path("server.key"))
        profile.clientCA = pki.path("ca.pem")
        return profile
    }
}

/// What one case did.
public struct TLSCaseResult: Sendable {
    public let name: String
    public let mustConnect: Bool
    /// The agency answered over TLS.
    public let connected: Bool
    /// Requests the simulated agency behind the terminator received: 0 means no payload byte got through.
    public let requestsReachingAgency: Int
    public let error: String?

    public var holds: Bool { mustConnect ? connected && requestsReachingAgency == 1 : !connected && requestsReachingAgency == 0 }
}

extension TLSCase {
    /// Runs every case against the civil registry of `simulator`, through a fresh terminator each.
    public static func runAll(simulator: SimulatorProcess, directory: TemporaryDirectory) async throws -> [TLSCaseResult] {
        let pki = try TestPKI(in: directory)
        let http = try HTTPClient(maxConnections: 8)
        defer { http.shutdown() }
        guard let backend = simulator.urls["civil-registry"].flatMap(URL.init(string:))?.port else {
            throw HarnessError("the simulator has no civil-registry port")
        }
        let token = try String(contentsOfFile: Executables.packageRoot + "/Config/demo-credentials/civil-registry.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var results: [TLSCaseResult] = []
        for (index, tlsCase) in all.enumerated() {
            let terminator = try await TLSTerminator(tlsCase.profile(pki), backendPort: backend, directory: directory, name: "stunnel-\(index)")
            let tls = TLSSettings(caFile: pki.path("ca.pem"), clientCertificateFile: tlsCase.clientCertificate ? pki.path("client.pem") : nil,
                                  clientKeyFile: tlsCase.clientCertificate ? pki.path("client.key") : nil)
            let config = EndpointConfig(baseURL: "https://localhost:\(terminator.port)", auth: .bearer(Secret(value: token, source: "demo")),
                                        tls: tls, connectTimeoutMs: 2_000, requestTimeoutMs: 5_000)
            let client = EndpointClient(name: "civil-registry", config: config, http: http)
            let before = try await simulator.stats()["requests"]?["civil-registry"]?.intValue ?? 0
            let answer = await client.send("POST", "/births", body: Array(#"{"probe":"tls"}"#.utf8),
                                           idempotencyKey: "tls-probe-\(index)")
            let after = try await simulator.stats()["requests"]?["civil-registry"]?.intValue ?? 0
            await terminator.stop()
            let error: String? = if case .failure(let failure) = answer { failure.description } else { nil }
            results.append(TLSCaseResult(name: tlsCase.name, mustConnect: tlsCase.mustConnect, connected: error == nil,
                                         requestsReachingAgency: after - before, error: error))
        }
        return results
    }
}
