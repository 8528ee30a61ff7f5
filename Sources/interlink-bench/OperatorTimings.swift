import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// Times `interlinkctl` as an operator meets it: the whole process (start, open the journal,
/// query, print), with its output thrown away.
struct OperatorTimings {
    let interlinkctl: String
    /// `--journal PATH` or `--config PATH`: which journal the commands read.
    let journalArguments: [String]

    init(interlinkctl: String, journalPath: String) {
        self.interlinkctl = interlinkctl
        journalArguments = ["--journal", journalPath]
    }

    init(interlinkctl: String, configPath: String) {
        self.interlinkctl = interlinkctl
        journalArguments = ["--config", configPath]
    }

    /// Milliseconds one run of `arguments` took; throws when the command exited otherwise
    /// than `succeeded` says, so no figure is printed for a command that did not do its work.
    /// (`status` and `overdue` exit 1 when they find problems: that is their work done.)
    func time(_ arguments: [String], succeeded: Set<Int32> = [0]) throws -> Double {
        let clock = ContinuousClock()
        let begin = clock.now
        let result = try spawnAndWait([interlinkctl] + arguments + journalArguments, captureErrors: true)
        let (status, message) = (result.status, result.errors)
        let elapsed = clock.now - begin
        guard succeeded.contains(status) else {
            throw SimulatorError("interlinkctl \(arguments.joined(separator: " ")) exited with \(status): \(String(decoding: message, as: UTF8.self))")
        }
        return ToolsBenchmark.milliseconds(elapsed)
    }

    /// Each command's timings over `runs` runs, sorted: the median is the middle one.
    func timings(_ commands: [(name: String, arguments: [String])], runs: Int = 7) throws -> [(name: String, sorted: [Double])] {
        try commands.map { command in (command.name, try (0..<runs).map { _ in try time(command.arguments, succeeded: [0, 1]) }.sorted()) }
    }
}
