import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// `interlink-bench raw`: only the raw load, the client and the simulator without a daemon,
/// with the CPU each side spent per request: what to profile when the ratio's denominator moves.
enum RawBenchmark {
    static func run(dossiers: Int, rounds: Int) async throws {
        let directory = try TemporaryDirectory()
        let simArguments = ["--no-fixtures", "--dossiers", String(dossiers), "--seed", "7", "--generated-from", "now"]
        print("interlink-bench raw: \(dossiers) generated dossiers, \(rounds) rounds, each on a fresh simulator")
        for round in 1...rounds {
            let simulator = try await SimulatorProcess(arguments: simArguments, in: directory)
            // Only the endpoints and their limits are read, from the config the daemon would get.
            let daemon = try DaemonHarness(simulator: simulator, directory: directory) { _ in }
            let config = try InterlinkConfig.load(path: daemon.configPath, environment: [:])
            let result = try await RawLoad.run(against: simulator, config: config, dossiers: dossiers, seed: 7)
            await simulator.stop()
            let perRequest = { (seconds: Double) in SyncBenchmark.format(result.perRequest(seconds)) }
            print("round \(round): \(result.requests) requests in \(SyncBenchmark.format(result.seconds, digits: 2)) s = "
                  + "\(SyncBenchmark.format(result.requestsPerSecond)) requests/s; CPU µs per request: client \(perRequest(result.clientCPUSeconds)), "
                  + "simulator \(perRequest(result.simulatorCPUSeconds)) (\(SyncBenchmark.format(result.simulatorRequestsPerCPUSecond)) requests per CPU-second)")
        }
    }
}
