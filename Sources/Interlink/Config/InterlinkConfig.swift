
/// The one-stop register: where dossiers come from and results go back to.
public struct RegisterConfig: Sendable, Hashable {
    /// Where the register is and how to authenticate to it.
    public var endpoint: EndpointConfig
    /// Seconds to wait between polls once a poll finds nothing new (default 10).
    public var pollIntervalSeconds: Int
    /// How far behind the cursor each poll re-reads, so late commits are never missed.
    public var lookBackSeconds: Int
    /// Dossiers asked for per page (1–500, default 200); halved for a while when pages come back too large.
    public var pageSize: Int
    /// Backoff while the register is down or answers garbage.
    public var retry: RetryPolicyConfig
    /// The periodic full pass that finds late commits (`register.sweep`).
    public var sweep = SweepConfig()
    /// The register's API shape (`register.api`); CONTRACTS.md unless configured.
    public var api = RegisterAPI.contract
}

/// How long personal data of finished dossiers is kept (Decree 13/2023 on personal data protection).
public struct RetentionConfig: Sendable, Hashable {
    /// Completed, cancelled and unrouted dossiers lose their payloads this many days after their outcome.
    public var completedDays: Int
}

/// The metrics and health listener.
public struct MetricsConfig: Sendable, Hashable {
    /// `host:port` for /metrics, /healthz and /readyz; `nil` disables the listener.
    public var listen: String?
}

/// Everything `interlinkd` needs, read from one JSON file.
public struct InterlinkConfig: Sendable, Hashable {
    /// The one-stop register to poll and write back to.
    public var register: RegisterConfig
    /// Agency endpoints by configured name, the name routes' steps refer to.
    public var agencies: [String: AgencyConfig]
    /// One route per group of procedure codes; a procedure code belongs to at most one route.
    public var routes: [RouteConfig]
    /// Which journal backend to use and where it lives.
    public var journal: JournalConfig
    /// The sync log's starting level; SIGHUP can change it.
    public var logLevel: LogLevel
    /// Where to serve /metrics, /healthz and /readyz, if anywhere.
    public var metrics: MetricsConfig
    /// How long finished dossiers keep their personal data.
    public var retention: RetentionConfig
    /// How long SIGTERM waits for in-flight requests before handing them back.
    public var shutdownGraceSeconds: Int
    /// Progress reports to the national portal, when configured.
    public var progressReports: ProgressReportConfig? = nil
    /// Field names masked as personal or sensitive beyond the defaults: `privacy` and each
    /// agency's `privacy` (its result fields).
    public var maskedFields: Set<String> = []
    /// `time.zone`: the IANA zone operators read and type times in (Asia/Ho_Chi_Minh by default).
    public var timeZone = "Asia/Ho_Chi_Minh"
    /// `calendar`: the working days, sessions and cut-off deadlines are counted in.
    public var calendar = CalendarConfig()
    /// `deadlines` and `incidents`: checks, the nearly-due window, incident thresholds.
    public var deadlines = DeadlineSettings()

    /// The route for a procedure code, if one is configured.
    public func route(forProcedure code: String) -> RouteConfig? {
        routes.route(forProcedure: code)
    }

    /// A one-line summary for `--check-config` and the start-up log.
    public var summary: String {
        let steps = routes.reduce(0) { $0 + $1.steps.count }
        let codes = routes.reduce(0) { $0 + $1.procedureCodes.count }
        return "\(agencies.count) agencies, \(routes.count) routes (\(steps) steps, \(codes) procedure codes), journal \(journal)"
    }
}

extension InterlinkConfig {
    /// Reads and validates the file at `path`. Throws ``ConfigError`` listing every problem.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> InterlinkConfig {
        let bytes: [UInt8]
        switch FileBytes.readRegularFile(path) {
        case .success(let read): bytes = read
        case .failure(.notRegular(let kind)):
            throw ConfigError(file: path, issues: [ConfigIssue(JSONPointer(tokens: []), "the config is \(kind), not a regular file; point --config at a file")])
        case .failure:
            throw ConfigError(file: path, issues: [ConfigIssue(JSONPointer(tokens: []), "cannot read the file; check the path and its permissions")])
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(file: path, issues: [ConfigIssue(JSONPointer(tokens: []), error.description)])
        }
        let config = try parse(json, file: path, configDirectory: FileBytes.directory(of: path), environment: environment)
        // The masking policy is the process's: every log line, event and display from now on masks these fields too.
        PersonalDataMasker.configure(personalFields: config.maskedFields)
        return config
    }

    /// Every field the configuration understands, as `agencies.<name>.retry.maxAttempts`; the
    /// README's configuration reference is checked against it. Read from a file that uses them all.
    public static func schemaFields(of json: JSONValue) -> Set<String> {
        let collector = IssueCollector()
        _ = read(json, file: "", configDirectory: "/", environment: [:], collector: collector)
        return collector.fields
    }

    /// Validates parsed JSON from `file`; secret files resolve via `$CREDENTIALS_DIRECTORY` or `configDirectory`. Throws every issue.
    public static func parse(_ json: JSONValue, file: String, configDirectory: String, environment: [String: String]) throws(ConfigError) -> InterlinkConfig {
        let collector = IssueCollector()
        guard let config = read(json, file: file, configDirectory: configDirectory, environment: environment, collector: collector),
              collector.issues.isEmpty else {
            throw ConfigError(file: file, issues: collector.issues)
        }
        return config
    }

    private static func read(_ json: JSONValue, file: String, configDirectory: String, environment: [String: String],
                             collector: IssueCollector) -> InterlinkConfig? {
        let secrets = SecretResolver(credentialsDirectory: environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 },
                                     configDirectory: configDirectory)
        guard let root = ConfigObjectReader(json, at: JSONPointer(tokens: []), collector: collector) else { return nil }
        _ = root.value("$schema")
        let register = readRegister(root.requiredObject("register"), secrets: secrets, collector: collector)
        let agenciesObject = root.requiredObject("agencies")
        let agencies = readAgencies(agenciesObject, secrets: secrets, collector: collector)
        // Routes are checked against every declared agency, valid or not, so one bad agency
        // is reported once rather than again at every step that uses it.
        let routes = readRoutes(root, agencies: Set(agenciesObject?.keys ?? []), dialects: agencies.mapValues(\.dialect), collector: collector)
        let journal = JournalConfig(reading: root.object("journal"), environment: environment, secrets: secrets, collector: collector)
        let log = root.object("log")
        let level = log?.enumeration("level", default: LogLevel.info) ?? .info
        log?.finish()
        let metricsObject = root.object("metrics")
        let listen = metricsObject?.optionalString("listen")
        if let listen, ListenAddress(listen) == nil {
            metricsObject?.report("listen", "expected host:port, e.g. 127.0.0.1:9464")
        }
        metricsObject?.finish()
        let retentionObject = root.object("retention")
        let retention = RetentionConfig(completedDays: retentionObject?.int("completedDays", default: 90, in: 1...3_650) ?? 90)
        retentionObject?.finish()
        let progress = root.object("progressReports").flatMap { ProgressReportConfig(reading: $0, secrets: secrets, collector: collector) }
        let time = root.object("time")
        let zone = time?.optionalString("zone") ?? "Asia/Ho_Chi_Minh"
        if ZoneRules(identifier: zone) == nil { time?.report("zone", "unknown time zone \"\(zone)\"; use an IANA name such as Asia/Ho_Chi_Minh") }
        time?.finish()
        let calendar = CalendarConfig(reading: root.object("calendar"), configDirectory: configDirectory, collector: collector)
        let deadlines = DeadlineSettings(deadlines: root.object("deadlines"), incidents: root.object("incidents"))
        let masked = AgencyConfig.privacyFields(root.object("privacy")).union(agencies.values.flatMap(\.maskedFields))
        let shutdown = root.object("shutdown")
        let grace = shutdown?.int("graceSeconds", default: 20, in: 1...600) ?? 20
        shutdown?.finish()
        root.finish()
        guard let register else { return nil }
        return InterlinkConfig(register: register, agencies: agencies, routes: routes, journal: journal, logLevel: level,
                               metrics: MetricsConfig(listen: listen), retention: retention, shutdownGraceSeconds: grace, progressReports: progress,
                               maskedFields: masked, timeZone: zone, calendar: calendar, deadlines: deadlines)
    }

    private static func readRegister(_ object: ConfigObjectReader?, secrets: SecretResolver, collector: IssueCollector) -> RegisterConfig? {
        guard let object else { return nil }
        let endpoint = EndpointConfig(reading: object, secrets: secrets, collector: collector)
        let interval = object.int("pollIntervalSeconds", default: 10, in: 1...3_600)
        let lookBack = object.int("lookBackSeconds", default: 120, in: 0...86_400)
        let pageSize = object.int("pageSize", default: 200, in: 1...500)
        let retry = RetryPolicyConfig(reading: object.object("retry"))
        let sweep = SweepConfig(reading: object.object("sweep"))
        let api = RegisterAPI(reading: object.object("api"), collector: collector)
        object.finish()
        guard let endpoint else { return nil }
        return RegisterConfig(endpoint: endpoint, pollIntervalSeconds: interval, lookBackSeconds: lookBack, pageSize: pageSize, retry: retry,
                              sweep: sweep, api: api)
    }

    private static func readAgencies(_ object: ConfigObjectReader?, secrets: SecretResolver, collector: IssueCollector) -> [String: AgencyConfig] {
        guard let object else { return [:] }
        var agencies: [String: AgencyConfig] = [:]
        for name in object.keys {
            if !RouteConfig.isIdentifier(name) {
                object.report(name, "agency names use letters, digits and '-' only, starting with a letter")
            }
            guard let reader = object.entry(name),
                  let agency = AgencyConfig(name: name, reading: reader, secrets: secrets, collector: collector) else { continue }
            agencies[name] = agency
        }
        if object.keys.isEmpty { object.report("define at least one agency") }
        return agencies
    }

    private static func readRoutes(_ root: ConfigObjectReader, agencies: Set<String>, dialects: [String: AgencyDialect],
                                   collector: IssueCollector) -> [RouteConfig] {
        var routes: [RouteConfig] = []
        var owners: [String: String] = [:]
        for element in root.array("routes") {
            guard let reader = root.objectReader(for: element),
                  let route = RouteConfig(reading: reader, agencies: agencies, dialects: dialects, collector: collector) else { continue }
            for (position, code) in route.procedureCodes.enumerated() {
                if let owner = owners[code] {
                    collector.add(element.path.appending("procedureCodes").appending(String(position)),
                                  "procedure \(code) is already routed by \"\(owner)\"")
                }
                owners[code] = route.name
            }
            routes.append(route)
        }
        return routes
    }
}
