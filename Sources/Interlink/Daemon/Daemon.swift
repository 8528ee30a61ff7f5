#if canImport(Glibc)
import Glibc
#endif

/// `interlinkd`'s life: load the config, open the journal, tell systemd it is ready, run the
/// sync, reload on SIGHUP, drain on SIGTERM/SIGINT, and exit with a sysexits status.
public enum Daemon: Sendable {
    /// What `interlinkd` was started with.
    public struct Options: Sendable {
        /// Path of the JSON configuration file, read at start and again on SIGHUP.
        public var configPath: String
        /// The process environment; supplies `CREDENTIALS_DIRECTORY`, `STATE_DIRECTORY` and systemd's `NOTIFY_SOCKET`.
        public var environment: [String: String]
        /// Options passed through to the sync engine, such as running until idle.
        public var engine: EngineOptions
        /// A live progress line on stdout (only when it is a terminal).
        public var progress: Bool

        /// Builds the options; `progress` asks for a live status line when stdout is a terminal.
        public init(configPath: String, environment: [String: String], engine: EngineOptions, progress: Bool) {
            self.configPath = configPath
            self.environment = environment
            self.engine = engine
            self.progress = progress
        }
    }

    /// Exit status when the journal cannot be opened (`EX_IOERR` from sysexits.h).
    public static let exitJournal: Int32 = 74
    /// Exit status when the journal is there but not now: the database is down, or another
    /// daemon holds the SQLite journal (`EX_TEMPFAIL`). systemd's `Restart=` tries again.
    public static let exitJournalUnavailable: Int32 = 75

    /// The sysexits status for a journal that could not be opened: a refusal of our
    /// credentials is configuration (78), what may pass is temporary (75), the rest is I/O (74).
    public static func exitStatus(for error: JournalError) -> Int32 {
        switch error.code {
        case .unauthorized: ConfigError.exitCode
        case .unavailable, .busy, .conflict, .inUse: exitJournalUnavailable
        default: exitJournal
        }
    }

    /// Runs the daemon until the engine stops; returns the exit status: 0, 78 bad config or
    /// refused database credentials, 75 journal unavailable or in use, 74 journal, 71 libcurl.
    public static func run(_ options: Options) async -> Int32 {
        let config: InterlinkConfig
        do {
            config = try InterlinkConfig.load(path: options.configPath, environment: options.environment)
        } catch {
            FileDescriptorWriter.writeAll(2, Array("interlinkd: \(error)\n".utf8))
            return ConfigError.exitCode
        }
        // Under systemd, entries go to journald with their fields (DOSSIER=, AGENCY= …); elsewhere, JSON lines on stderr.
        // INTERLINK_JOURNAL_SOCKET points tests at a socket of their own.
        let journald = JournaldSink.ifStderrIsTheJournal(environment: options.environment, identifier: "interlinkd",
                                                          socketPath: options.environment["INTERLINK_JOURNAL_SOCKET"] ?? "/run/systemd/journal/socket")
        let logger = journald.map { Logger(level: config.logLevel, sink: $0) } ?? Logger(level: config.logLevel)
        let journal: any Journal
        let lock: SQLiteDaemonLock?
        do {
            if case .sqlite(let path, _) = config.journal.backend {
                try Directories.createParent(of: path)
                lock = try SQLiteDaemonLock.take(journalPath: path)
            } else {
                lock = nil
            }
            journal = try JournalFactory.open(config.journal)
        } catch {
            let failure = error as? JournalError ?? JournalError(code: .readOnly, message: "\(error) for the journal \(config.journal)")
            logger.error("cannot open the journal", LogContext(extra: ["journal": .string(config.journal.description), "reason": .string(failure.description)]))
            return exitStatus(for: failure)
        }
        let connections = config.agencies.values.reduce(config.register.endpoint.maxConcurrent) { $0 + $1.endpoint.maxConcurrent }
        guard let http = try? HTTPClient(maxConnections: max(16, connections)) else {
            logger.error("libcurl could not initialise")
            return 71
        }
        for warning in config.calendar.warnings(today: WorkingCalendar.local(.now()).date) { logger.warning(warning) }
        let engine = SyncEngine(config: config, journal: journal, http: http, logger: logger, options: options.engine)
        let notifier = SystemdNotifier(environment: options.environment)
        let started = ContinuousClock.now
        let metrics = startMetrics(config: config, engine: engine, journal: journal, logger: logger)

        let signals = Task {
            for await number in SignalStream.make([SIGTERM, SIGINT, SIGHUP]) {
                if number == SIGHUP {
                    await reload(engine: engine, options: options, logger: logger, notifier: notifier)
                } else {
                    notifier.notify(["STOPPING=1", "STATUS=draining"])
                    await engine.stop()
                }
            }
        }
        notifier.notify(["READY=1", "STATUS=syncing; \(config.summary)", "MAINPID=\(getpid())"])
        let watchdog = notifier.watchdogInterval.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    // Answering proves the engine's actor is not stuck; only then is systemd told so.
                    let status = await engine.statusLine()
                    notifier.notify(["WATCHDOG=1", "STATUS=\(status)"])
                }
            }
        }
        let progress = Task {
            let terminal = options.progress && isatty(1) == 1
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(terminal ? 1 : 5))
                let status = await engine.statusLine()
                notifier.notify(["STATUS=\(status)"])
                if terminal { FileDescriptorWriter.writeAll(1, Array("\r\u{1B}[K\(status)".utf8)) }
            }
        }

        await engine.run()
        notifier.notify(["STOPPING=1", "STATUS=stopped"])
        metrics?.stop()
        progress.cancel()
        watchdog?.cancel()
        signals.cancel()
        if options.progress, isatty(1) == 1 { FileDescriptorWriter.writeAll(1, Array("\r\u{1B}[K".utf8)) }
        if options.engine.untilIdle {
            let summary = await RunSummary.render(journal: journal, counters: await engine.counters,
                                                  duration: ContinuousClock.now - started, journalPath: config.journal.description)
            FileDescriptorWriter.writeAll(1, Array((summary + "\n").utf8))
        }
        await journal.close()
        withExtendedLifetime(lock) {}
        http.shutdown()
        return 0
    }

    /// Serves /metrics, /healthz and /readyz when `metrics.listen` is set. A port that cannot be
    /// bound is logged; the sync runs without metrics rather than not at all.
    private static func startMetrics(config: InterlinkConfig, engine: SyncEngine, journal: any Journal, logger: Logger) -> MetricsServer? {
        guard let listen = config.metrics.listen, let address = ListenAddress(listen) else { return nil }
        let server = MetricsServer(engine: engine, journal: journal)
        do {
            let port = try server.start(on: address)
            logger.notice("metrics listening", LogContext(extra: ["url": .string("http://\(ListenAddress(host: address.host, port: port))/metrics")]))
            return server
        } catch {
            logger.error("cannot serve metrics; syncing without them", LogContext(extra: ["reason": .string(error.description)]))
            return nil
        }
    }

    /// SIGHUP: a valid new config replaces the old; an invalid one is logged and the old kept.
    private static func reload(engine: SyncEngine, options: Options, logger: Logger, notifier: SystemdNotifier) async {
        notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())", "STATUS=reloading"])
        do {
            let fresh = try InterlinkConfig.load(path: options.configPath, environment: options.environment)
            await engine.reload(fresh)
        } catch {
            logger.error("reload refused: the new configuration is invalid; still running on the previous one",
                         LogContext(extra: ["problems": .array(error.issues.map { .string($0.description) })]))
        }
        notifier.notify(["READY=1", "STATUS=\(await engine.statusLine())"])
    }
}
