import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Every `--help` ends with examples, and every example is a command line the binary accepts:
/// an example that drifted from the options would teach an operator a usage error.
@Suite("End to end: help examples")
struct HelpExamplesTests {
    static let ctlCommands = ["status", "dossiers", "show", "log", "replay", "review", "audit", "purge", "migrate-journal", "sweep", "deadline", "overdue", "incidents", "completion"]

    /// The example lines of a help text, each split as a shell would (double quotes group words;
    /// a redirection and what follows it are the shell's, not the program's).
    static func examples(in help: String, program: String) -> [[String]] {
        guard let start = help.range(of: "\nExamples:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n").compactMap { line in
            let words = words(of: line.trimmingCharacters(in: .whitespaces))
            return words.first == program ? Array(words.dropFirst().prefix { $0 != ">" && $0 != "|" }) : nil
        }
    }

    static func words(of line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        for character in line {
            if character == "\"" { quoted.toggle(); inWord = true; continue }
            if character == " " && !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
                continue
            }
            current.append(character)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }

    static func help(_ program: String, _ arguments: [String]) throws -> String {
        let output = try runProcess(Executables.path(program), arguments + ["--help"])
        #expect(output.status == 0, "\(program) \(arguments) --help: \(output.stderr)")
        return output.stdout
    }

    @Test func everyInterlinkctlExampleIsAcceptedByItsCommand() throws {
        let directory = try TemporaryDirectory()
        var helps = [("", try Self.help("interlinkctl", []))]
        for command in Self.ctlCommands { helps.append((command, try Self.help("interlinkctl", [command]))) }
        for (command, help) in helps {
            let examples = Self.examples(in: help, program: "interlinkctl")
            #expect(examples.count >= (command == "" ? 3 : 1), "interlinkctl \(command) --help shows no examples")
            for example in examples {
                #expect(command.isEmpty || example.contains(command), "\(example) is not an example of \(command)")
                // Aimed at journals and configs that do not exist, so nothing is changed: an accepted
                // line stops at 66 (no journal), 78 (no config) or succeeds; only a bad one is 64.
                let arguments = example.map { $0.hasPrefix("/etc/") || $0.hasPrefix("/var/") ? directory.file("absent") : $0 }
                    + (example.contains("--config") ? [] : ["--journal", directory.file("absent.sqlite")])
                let run = try runProcess(Executables.path("interlinkctl"), arguments)
                #expect([0, 1, 66, 78].contains(run.status), "interlinkctl \(arguments.joined(separator: " ")): \(run.status) \(run.stderr)")
            }
        }
    }

    @Test func everyInterlinkdExampleIsAcceptedAsACommandLine() throws {
        let directory = try TemporaryDirectory()
        let examples = Self.examples(in: try Self.help("interlinkd", []), program: "interlinkd")
        #expect(examples.count >= 3)
        for example in examples {
            // With a config that does not exist, an accepted command line is a configuration error (78).
            var arguments = example
            if let index = arguments.firstIndex(of: "--config") { arguments[index + 1] = directory.file("absent.json") }
            let run = try runProcess(Executables.path("interlinkd"), arguments + (example.contains("--config") ? [] : ["--config", directory.file("absent.json")]))
            #expect(run.status == 78, "interlinkd \(arguments.joined(separator: " ")): \(run.status) \(run.stderr)")
        }
    }

    /// The simulator and the benchmark would start serving or measuring, so their examples are
    /// checked against the options their help documents instead.
    @Test(arguments: ["interlink-sim", "interlink-bench"])
    func everyExampleUsesDocumentedOptions(program: String) throws {
        let help = try Self.help(program, [])
        let documented = help.components(separatedBy: "\nExamples:\n")[0]
        let examples = Self.examples(in: help, program: program)
        #expect(examples.count >= 3)
        for option in examples.joined().filter({ $0.hasPrefix("--") }) {
            #expect(documented.contains(option + " ") || documented.contains(option + "\n") || documented.contains(option + "]"),
                    "\(program)'s example uses \(option), which its help does not document")
        }
    }
}
