import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// The daemon's HTTP client against a real TLS terminator (stunnel4) with certificates made
/// by openssl for the test: it connects only where it should, and when it refuses, not one
/// request reaches the agency behind the terminator.
@Suite("End to end: TLS through stunnel")
struct TLSTests {
    @Test func connectsOnlyToAgenciesItCanTrust() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--dossiers", "0"], in: directory)
        let results = try await TLSCase.runAll(simulator: sim, directory: directory)
        await sim.stop()
        #expect(results.count == TLSCase.all.count)
        for result in results {
            #expect(result.holds, "\(result.name): connected \(result.connected), requests reaching the agency \(result.requestsReachingAgency), \(result.error ?? "no error")")
        }
        // Refusals are TLS errors, named as such for the operator.
        for result in results where !result.mustConnect {
            #expect(result.error?.lowercased().contains("tls") == true || result.error?.lowercased().contains("ssl") == true,
                    "\(result.name): \(result.error ?? "no error")")
        }
    }
}
