import Foundation
import Interlink

let help = """
    interlink-bench \(InterlinkVersion.current): benchmarks that print their figures (never pass/fail).

    Usage: interlink-bench tools [--events N] [--dir DIR]

      tools   Builds a journal of N events (default 1000000) shaped like a real one, then times
              interlinkctl status, show, log --dossier, log --level and dossiers on it.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
let options = try CommandLineOptions(arguments, flags: ["help"], options: ["events", "dir"])
guard let command = options.positional.first, !options.has("help") else {
    print(help)
    exit(options.has("help") ? 0 : 64)
}
let directory = options.value("dir") ?? NSTemporaryDirectory()
let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
switch command {
case "tools":
    let events = Int(options.value("events") ?? "1000000") ?? 1_000_000
    try await ToolsBenchmark.run(events: events, directory: directory, interlinkctl: binaries + "/interlinkctl")
default:
    print(help)
    exit(64)
}
