import Interlink
#if canImport(Glibc)
import Glibc
#endif

// At most two malloc arenas, not eight per core: each thread that allocates (the journal's
// queues, curl's loop, the cooperative pool) would otherwise keep freed memory of its own
// resident (see BENCHMARKS.md for what it saves).
MemoryTuning.limitMallocArenas(2)

let help = """
    interlinkd \(InterlinkVersion.current): syncs one-stop register dossiers to the civil-status, land and insurance agencies.

    Usage: interlinkd [--config PATH] [--check-config [--connect] [--render [--against-journal N | --fixtures DIR]]
                      | --until-idle [--idle-horizon SECONDS]]

    Options:
      --config PATH           The JSON config. Default: $CONFIGURATION_DIRECTORY/interlink.json,
                              then /etc/interlink/interlink.json.
      --check-config          Validate the config (types, URLs, routes, JSON Pointers, secret files),
                              print a one-line summary and exit 0, or list every problem and exit 78.
      --connect               With --check-config: also reach the journal without changing it, and
                              report the server, TLS, the schema version and the daemons running on
                              it; exits as a start would (75 unreachable or in use, 78 credentials
                              refused, 74 otherwise).
      --render                With --check-config: render every route's requests, masked, for the
                              fixture dossiers (--fixtures DIR, default Fixtures/dossiers) or for the
                              N dossiers the journal saw last (--against-journal N): what each agency
                              would receive, before a reload. A step's result not known yet reads as
                              ⟨steps.<step>.result/…⟩; a dossier the route cannot fill says so.
      --against-journal N     With --render: the N most recent journaled dossiers, with their results.
      --fixtures DIR          With --render: the fixture dossiers to render for.
      --until-idle            Exit 0 once nothing is ready, in flight or due soon and the register has
                              nothing new; then print a summary. Receipt follow-ups and retries due later
                              than the idle horizon count as idle.
      --idle-horizon SECONDS  Work due later than this counts as idle with --until-idle (default 20).
      --help                  Show this help.
      --version               Show the version.

    Signals: SIGTERM and SIGINT drain in-flight requests within shutdown.graceSeconds and exit 0;
    SIGHUP reloads the config, keeping the old one if the new one is invalid.
    Under systemd (Type=notify) it reports READY=1, STATUS=, WATCHDOG=1, RELOADING=1 and STOPPING=1.

    Exit status: 0 success, 64 usage error, 74 journal error, 75 journal unavailable (PostgreSQL down,
    or another daemon on this SQLite journal: systemd's Restart= tries again), 78 configuration error
    (or PostgreSQL refused the credentials).

    Examples:
      interlinkd --check-config --config /etc/interlink/interlink.json
      interlinkd --check-config --connect --config /etc/interlink/interlink.json
      interlinkd --check-config --render --against-journal 20 --config /etc/interlink/interlink.json
      interlinkd --config Config/demo.json --until-idle
    """

/// `--check-config --render`: prints what each route would send (see ``RequestPreview``).
func render(_ config: InterlinkConfig, _ options: CommandLineOptions) async throws -> Int32 {
    let samples: [RequestPreview.Sample]
    if let text = options.value("against-journal") {
        guard let count = Int(text), count > 0 else { throw UsageError("--against-journal needs a number of dossiers, not \(text)") }
        guard options.value("fixtures") == nil else { throw UsageError("use --against-journal or --fixtures, not both") }
        do {
            let journal = try JournalFactory.open(config.journal, access: .existing)
            samples = try await RequestPreview.recent(count, journal: journal)
            await journal.close()
        } catch {
            FileDescriptorWriter.writeAll(2, Array("interlinkd: cannot read the journal: \(error)\n".utf8))
            return 74
        }
    } else {
        let directory = options.value("fixtures") ?? "Fixtures/dossiers"
        samples = RequestPreview.fixtures(in: directory)
        guard !samples.isEmpty else { throw UsageError("no fixture dossiers in \(directory): give --fixtures DIR or --against-journal N") }
    }
    for line in RequestPreview.lines(for: samples, config: config) { print(line) }
    return 0
}

let environment = ProcessEnvironment.current
do {
    let options = try CommandLineOptions(Array(CommandLine.arguments.dropFirst()),
                                         flags: ["help", "version", "check-config", "connect", "until-idle", "render"],
                                         options: ["config", "idle-horizon", "against-journal", "fixtures"])
    if options.has("help") {
        print(help)
        exit(0)
    }
    if options.has("version") {
        print("interlinkd \(InterlinkVersion.current)")
        exit(0)
    }
    guard options.positional.isEmpty else { throw UsageError("unexpected argument \(options.positional[0])") }
    let path = ConfigDiscovery.path(explicit: options.value("config"), environment: environment)
    if options.has("check-config") {
        let config = try InterlinkConfig.load(path: path, environment: environment)
        print("\(path): ok: \(config.summary)")
        for warning in config.calendar.warnings(today: WorkingCalendar.local(.now()).date) { print("warning: \(warning)") }
        if options.has("render") { exit(try await render(config, options)) }
        guard options.has("connect") else { exit(0) }
        let report = JournalProbe.run(config.journal)
        for line in report.lines { print(line) }
        exit(report.exitStatus)
    }
    guard !options.has("connect") else { throw UsageError("--connect goes with --check-config") }
    guard !options.has("render"), options.value("against-journal") == nil, options.value("fixtures") == nil else {
        throw UsageError("--render, --against-journal and --fixtures go with --check-config")
    }
    var engine = EngineOptions(untilIdle: options.has("until-idle"))
    if let horizon = options.value("idle-horizon") {
        guard let seconds = Int(horizon), seconds >= 0 else { throw UsageError("--idle-horizon needs whole seconds, not \(horizon)") }
        engine.idleHorizonSeconds = seconds
    }
    let daemonOptions = Daemon.Options(configPath: path, environment: environment, engine: engine, progress: engine.untilIdle)
    let status = await Daemon.run(daemonOptions)
    exit(status)
} catch let error as UsageError {
    FileDescriptorWriter.writeAll(2, Array("interlinkd: \(error)\nTry 'interlinkd --help'.\n".utf8))
    exit(UsageError.exitCode)
} catch let error as ConfigError {
    FileDescriptorWriter.writeAll(2, Array("interlinkd: \(error)\n".utf8))
    exit(ConfigError.exitCode)
}
