import Foundation
import Interlink
import InterlinkTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The health listener cannot be starved: connections that connect and say nothing are shed
/// (the longest idle first) and time out soon, so `/healthz` answers while 500 are held.
/// Availability is asserted; the latency (within 1 s on a quiet machine) is measured in
/// RELIABILITY.md, since a shared machine's load is no property of the listener.
@Suite("End to end: a health listener that cannot be starved", .serialized)
struct HealthListenerTests {
    @Test func healthzAnswersWhileFiveHundredIdleConnectionsAreHeld() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["metrics"], ["listen": "127.0.0.1:0"])
        }
        let process = try daemon.start()
        #expect(await process.waitForLog("metrics listening"))
        let line = try #require(process.stderr.split(separator: "\n").first { $0.contains("metrics listening") })
        let metricsURL = try #require(try JSONParser.parse(String(line.dropFirst(3)))["url"]?.stringValue)
        let health = metricsURL.replacing("/metrics", with: "/healthz")
        let port = try #require(UInt16(metricsURL.split(separator: ":").last?.split(separator: "/").first ?? ""))

        var idle: [Int32] = []
        defer { for descriptor in idle { close(descriptor) } }
        for _ in 0..<500 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(connected == 0)
            idle.append(descriptor)
        }
        let client = try HTTPClient()
        defer { client.shutdown() }
        // The listener first works through the 500 connections queued before the checks; what is
        // measured is how it answers while they are held, not how fast this machine accepts 500.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(30)) {
            (try? await client.send(HTTPRequest(method: "GET", url: health, options: HTTPRequestOptions(connectTimeoutMs: 1_000, timeoutMs: 1_000))))?.status == 200
        })
        var answered = 0
        for _ in 0..<20 {
            let response = try? await client.send(HTTPRequest(method: "GET", url: health, options: HTTPRequestOptions(connectTimeoutMs: 5_000, timeoutMs: 5_000)))
            if response?.status == 200 { answered += 1 }
        }
        #expect(answered == 20, "/healthz answered \(answered) times of 20 while 500 idle connections were held")
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await sim.stop()
    }
}
