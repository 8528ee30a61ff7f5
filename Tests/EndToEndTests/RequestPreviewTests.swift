import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// See before you send: `interlinkd --check-config --render` prints what each agency would
/// receive, masked, for the fixtures or for the dossiers the journal saw last.
@Suite("End to end: rendering requests before a reload", .serialized)
struct RequestPreviewTests {
    @Test func theFixturesAndRecentDossiersAreRenderedMasked() async throws {
        let directory = try TemporaryDirectory()
        let (sim, birth) = try await DossierChangeTests.simulator(with: "01-birth-ok-hoa-thanh.json", in: directory)
        let childName = birth["form"]?["child"]?["fullName"]?.stringValue ?? "?"
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        let interlinkd = Executables.path("interlinkd")
        let fixtures = try runProcess(interlinkd, ["--check-config", "--config", daemon.configPath, "--render",
                                                   "--fixtures", Executables.packageRoot + "/Fixtures/dossiers"])
        #expect(fixtures.status == 0, "\(fixtures.stderr)")
        #expect(fixtures.stdout.contains("birth → civil-registry POST /births: {") && fixtures.stdout.contains("⟨steps.birth.result/certificateNo⟩"))
        #expect(!fixtures.stdout.contains(childName), "personal data is masked")
        #expect(fixtures.stdout.split(separator: "\n").filter { $0.contains(" → route ") }.count == 15, "every fixture, every route")

        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let recent = try runProcess(interlinkd, ["--check-config", "--config", daemon.configPath, "--render", "--against-journal", "5"])
        #expect(recent.status == 0 && recent.stdout.contains(birth["code"]!.stringValue!))
        #expect(!recent.stdout.contains("⟨steps.birth.result"), "the journal's results fill later steps: \(recent.stdout)")
        #expect(try runProcess(interlinkd, ["--render", "--config", daemon.configPath]).status == 64, "--render goes with --check-config")
        #expect(try runProcess(interlinkd, ["--check-config", "--config", daemon.configPath, "--render", "--against-journal", "x"]).status == 64)
        await sim.stop()
    }
}
