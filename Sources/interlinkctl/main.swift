import Interlink
#if canImport(Glibc)
import Glibc
#endif

/// Option parsing shared by the commands.
enum Commands {
    static func limit(_ options: CommandLineOptions, default fallback: Int) throws(UsageError) -> Int {
        guard let text = options.value("limit") else { return fallback }
        guard let value = Int(text), value > 0 else { throw UsageError("--limit needs a positive whole number") }
        return value
    }

    static func time(_ context: Context, _ name: String) throws(UsageError) -> Timestamp? {
        guard let text = context.options.value(name) else { return nil }
        guard let stamp = TimeFilter.parse(text, zone: context.zone) else {
            throw UsageError("--\(name) takes today, yesterday, a date (2026-11-30), a local time (2026-11-30 08:30), "
                             + "a duration such as 2h, 1h30m or 2w (at most 36500d), or an RFC 3339 time; not \(text)")
        }
        return stamp
    }
}

/// One `interlinkctl` command: its name, help, the options it accepts, and what it does.
protocol CtlCommand {
    static var name: String { get }
    static var summary: String { get }
    static var help: String { get }
    static var flags: Set<String> { get }
    static var options: Set<String> { get }
    static func run(_ context: Context) async throws -> Int32
}

let commands: [any CtlCommand.Type] = [
    StatusCommand.self, DossiersCommand.self, ShowCommand.self, LogCommand.self, ReplayCommand.self, ReviewCommand.self, AuditCommand.self,
    PurgeCommand.self, MigrateJournalCommand.self, SweepCommand.self, OverdueCommand.self, IncidentsCommand.self, DeadlineCommand.self,
    CompletionCommand.self,
]

let usage = """
    interlinkctl \(InterlinkVersion.current): operate Interlink from its journal.

    Usage: interlinkctl [options] COMMAND [options]

    Commands:
    \(commands.map { "  " + Table.pad($0.name, 17) + $0.summary }.joined(separator: "\n"))

    Options every command takes:
      --journal PATH   The journal. Default: journal.path of the config, else $STATE_DIRECTORY/journal.sqlite,
                       else /var/lib/interlink/journal.sqlite.
      --config PATH    The config to read the journal from: journal.path, or journal.postgres and its
                       password file (default as for interlinkd).
      --json           Machine-readable output.
      --utc            Show times in UTC instead of time.zone (default Asia/Ho_Chi_Minh, else $TZ).
      --help           Help for the command.

    Exit status: 0 ok, 1 problems found, 64 usage error, 66 no journal, 74 journal error,
    75 journal in use or unreachable, 78 configuration error.
    Run `interlinkctl COMMAND --help` for a command's options.

    Examples:
      interlinkctl status
      interlinkctl --config /etc/interlink/interlink.json log --level warning --since today
      interlinkctl show H12.22-251120-0001 --utc
    """

func fail(_ status: Int32, _ message: String) -> Never {
    FileDescriptorWriter.writeAll(2, Array("interlinkctl: \(message)\n".utf8))
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--version" {
    print("interlinkctl \(InterlinkVersion.current)")
    exit(0)
}
/// The command: the first argument that is neither an option every command takes nor its
/// value, so `interlinkctl --journal X status` works as `interlinkctl status --journal X` does.
func commandName(_ arguments: [String]) -> String? {
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if !argument.hasPrefix("-") { return argument }
        let option = String(argument.dropFirst(2))
        index += Context.commonOptions.contains(option) ? 2 : 1
    }
    return nil
}

guard let name = commandName(arguments) else {
    if arguments.contains("--help") || arguments.isEmpty {
        print(usage)
        exit(arguments.isEmpty ? Exit.usage : Exit.ok)
    }
    fail(Exit.usage, "say which command first\n\(usage)")
}
guard let command = commands.first(where: { $0.name == name }) else {
    fail(Exit.usage, "unknown command \(name)\nTry 'interlinkctl --help'.")
}
do {
    let options = try CommandLineOptions(arguments, flags: Context.commonFlags.union(command.flags),
                                         options: Context.commonOptions.union(command.options))
    if options.has("help") {
        print(command.help)
        exit(Exit.ok)
    }
    let status = try await command.run(Context(options: options, environment: ProcessEnvironment.current))
    exit(status)
} catch let error as UsageError {
    fail(Exit.usage, "\(error)\nTry 'interlinkctl \(name) --help'.")
} catch let error as CommandFailure {
    fail(error.status, error.message)
} catch {
    fail(Exit.problems, "\(error)")
}
