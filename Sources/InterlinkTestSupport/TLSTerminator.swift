import Foundation

/// Why a test harness (stunnel, openssl, a simulator control call) could not be set up; says
/// which tool failed and what it printed.
public struct HarnessError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A real TLS terminator (Debian's stunnel4) on a loopback port chosen by the OS, in front of
/// a plain HTTP backend such as one of the simulator's services.
public final class TLSTerminator: Sendable {
    /// What the terminator offers and demands.
    public struct Profile: Sendable {
        public var certificate: String
        public var key: String
        public var minimumVersion = "TLSv1.2"
        public var maximumVersion = "TLSv1.3"
        /// Demand a client certificate signed by this CA (mTLS).
        public var clientCA: String?
        /// OpenSSL 3 will not speak TLS 1.1 at its default security level; lowering it is how
        /// a genuinely old server is played.
        public var legacySecurityLevel = false

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public static let executable = "/usr/bin/stunnel4"
    public let port: Int
    private let process: ChildProcess

    public init(_ profile: Profile, backendPort: Int, directory: TemporaryDirectory, name: String) async throws {
        var lines = ["foreground = yes", "pid =", "debug = info", "[https]", "accept = 127.0.0.1:0", "connect = 127.0.0.1:\(backendPort)",
                     "cert = \(profile.certificate)", "key = \(profile.key)",
                     "sslVersionMin = \(profile.minimumVersion)", "sslVersionMax = \(profile.maximumVersion)"]
        if let clientCA = profile.clientCA { lines += ["CAfile = \(clientCA)", "verifyChain = yes", "requireCert = yes"] }
        if profile.legacySecurityLevel { lines.append("ciphers = DEFAULT@SECLEVEL=0") }
        let config = try directory.write("\(name).conf", lines.joined(separator: "\n") + "\n")
        process = try ChildProcess(Self.executable, [config], outputDirectory: directory.path, name: name)
        // stunnel logs the port the OS chose: "Service [https] (FD=8) bound to 127.0.0.1:39593".
        var announced: Int?
        await ChildProcess.waitUntil(timeout: .seconds(10)) { [process] in
            announced = Self.boundPort(in: process.stderr)
            return announced != nil || process.exitStatus != nil
        }
        guard let announced else {
            await process.terminate()
            throw HarnessError("stunnel4 did not start: \(process.stderr.suffix(1_000))")
        }
        port = announced
    }

    static func boundPort(in log: String) -> Int? {
        guard let range = log.range(of: "bound to 127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    public var log: String { process.stderr }

    /// Kills it: a terminator holds no state, and stunnel lingers on SIGTERM while a client
    /// keeps a connection alive.
    public func stop() async {
        await process.terminate()
    }
}
