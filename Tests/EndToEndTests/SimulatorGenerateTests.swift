import Interlink
import InterlinkTestSupport
import Testing

/// `interlink-sim --generated-from`: the benchmarks' dossiers are fresh intake, not a year old
/// and all overdue.
@Suite("Simulator: generated dossiers' dates")
struct SimulatorGenerateTests {
    static func updatedAt(_ arguments: [String]) throws -> [Timestamp] {
        let output = try runProcess(Executables.path("interlink-sim"), ["--generate", "3", "--seed", "5"] + arguments)
        #expect(output.status == 0, "\(output.stderr)")
        return try output.stdout.split(separator: "\n").map { line in
            try #require(JSONParser.parse(Array(line.utf8))["dossier"]?["updatedAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))
        }
    }

    @Test func nowMeansTheLastDossierWasUpdatedAMinuteAgo() throws {
        let before = Timestamp.now()
        let stamps = try Self.updatedAt(["--generated-from", "now"])
        #expect(stamps.count == 3)
        #expect(stamps.allSatisfy { $0 < before && $0 > before.adding(milliseconds: -3_600_000) }, "\(stamps)")
        #expect(try Self.updatedAt([]).first == Timestamp(rfc3339: "2025-11-21T01:00:00Z"), "the default is unchanged")
        #expect(try Self.updatedAt(["--generated-from", "2026-01-02T03:04:05Z"]).last == Timestamp(rfc3339: "2026-01-02T03:04:05.002Z"))
    }

    @Test func anythingElseIsAUsageError() throws {
        let output = try runProcess(Executables.path("interlink-sim"), ["--generate", "1", "--generated-from", "yesterday"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--generated-from takes an RFC 3339 time or now"), "\(output.stderr)")
    }
}
