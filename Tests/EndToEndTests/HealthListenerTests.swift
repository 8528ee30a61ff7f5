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
        let metricsURL = try await DaemonHarness.metricsURL(of: process)
        let health = metricsURL.replacing("/metrics", with: "/healthz")
        let port = try #require(UInt16(metricsURL.split(separator: ":").last?.split(separator: "/").first ?? ""))

        let idle = try (0..<500).map { _ in try RawConnection(port: port) }
        defer { for connection in idle { connection.close() } }
        let client = try HTTPClient()
        defer { client.shutdown() }
        // The listener first works through the 500 connections queued before the checks; what is
        // measured is how it answers while they are held, not how fast this machine accepts 500.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
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
