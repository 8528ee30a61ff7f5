import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The monitoring that ships: alert rules tested by promtool, and a dashboard whose every
/// query returns data from a real Prometheus scraping a real daemon during a sync.
@Suite("End to end: monitoring that ships", .serialized)
struct MonitoringTests {
    static let directory = Executables.packageRoot + "/Config/monitoring"

    @Test func theAlertRulesPassPromtool() throws {
        let check = try runProcess("/usr/bin/promtool", ["check", "rules", "interlink-alerts.yml"], currentDirectory: Self.directory)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let test = try runProcess("/usr/bin/promtool", ["test", "rules", "interlink-alerts.test.yml"], currentDirectory: Self.directory)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
    }

    @Test func everyDashboardQueryReturnsDataFromARealPrometheus() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "80", "--decision-delay-ms", "100", "--fault", "insurance.error5xxRate=0.2"],
                                             in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["metrics"], ["listen": "127.0.0.1:0"])
        }
        let process = try daemon.start()
        defer { process.signal(SIGTERM) }
        let metrics = try #require(URL(string: try await DaemonHarness.metricsURL(of: process)))
        let port = try closedLoopbackPort()
        let config = try directory.write("prometheus.yml", """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: interlink
                static_configs: [{targets: ["127.0.0.1:\(metrics.port!)"]}]
            """)
        let prometheus = try ChildProcess("/usr/bin/prometheus", ["--config.file=\(config)", "--storage.tsdb.path=\(directory.file("tsdb"))",
                                                                  "--web.listen-address=127.0.0.1:\(port)"],
                                          outputDirectory: directory.path, name: "prometheus")
        defer { prometheus.signal(SIGTERM) }
        let client = try HTTPClient()
        defer { client.shutdown() }
        func query(_ expression: String) async -> [JSONValue] {
            let url = "http://127.0.0.1:\(port)/api/v1/query" + EndpointClient.queryString([("query", expression)])
            guard let answer = try? await client.send(HTTPRequest(method: "GET", url: url)), let json = try? answer.json() else { return [] }
            return json["data"]?["result"]?.arrayValue ?? []
        }
        let dashboard = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Self.directory + "/interlink-dashboard.json")))
        let expressions = (dashboard["panels"]?.arrayValue ?? []).flatMap { $0["targets"]?.arrayValue ?? [] }
            .compactMap { $0["expr"]?.stringValue?.replacing("$__rate_interval", with: "30s") }
        #expect(expressions.count >= 10)
        // A sync under way: requests, latencies and retries to show; every panel gets its data.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            var missing = 0
            for expression in expressions where await query(expression).isEmpty { missing += 1 }
            return missing == 0
        })
        for expression in expressions { #expect(await !query(expression).isEmpty, "no data for \(expression)") }
        await sim.stop()
    }
}
