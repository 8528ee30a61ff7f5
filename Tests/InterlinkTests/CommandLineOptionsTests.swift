import Interlink
import InterlinkTestSupport
import Testing

@Suite("Command-line options")
struct CommandLineOptionsTests {
    @Test func parsesFlagsOptionsAndPositionals() throws {
        let options = try CommandLineOptions(["show", "--json", "--since=2h", "--agency", "land", "H1"],
                                             flags: ["json"], options: ["since", "agency"])
        #expect(options.has("json"))
        #expect(options.value("since") == "2h")
        #expect(options.value("agency") == "land")
        #expect(options.positional == ["show", "H1"])
    }

    @Test func refusesUnknownOptionsAndMissingValues() {
        #expect(throws: UsageError.self) { try CommandLineOptions(["--tokn", "x"], flags: [], options: ["token"]) }
        #expect(throws: UsageError.self) { try CommandLineOptions(["--config"], flags: [], options: ["config"]) }
    }
}
