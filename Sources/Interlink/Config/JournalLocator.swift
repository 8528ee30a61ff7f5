/// What `interlinkctl` needs from the daemon's config, read without secrets (operators running
/// the CLI need not have the agencies' tokens).
public struct OperatorSettings: Sendable {
    /// The journal the daemon writes.
    public var journal: JournalConfig
    /// `retention.completedDays`, when the config sets it.
    public var retentionDays: Int?
    /// `time.zone`, when the config sets it.
    public var timeZone: String? = nil
    /// The config's `calendar`, or the data file found beside it or installed.
    public var calendar = CalendarConfig()
    /// `deadlines.dueSoonWorkingHours`, else 4.
    public var dueSoonWorkingHours = DeadlineSettings().dueSoonWorkingHours

    /// `--journal PATH` when given; else the config's `journal` section, found the way
    /// `interlinkd` finds its config; else the default path.
    public static func load(journal: String?, config: String?, environment: [String: String]) throws(ConfigError) -> OperatorSettings {
        let (file, json) = try JournalLocator.configJSON(config: config, environment: environment)
        let retention = json?["retention"]?["completedDays"]?.intValue
        let zone = json?["time"]?["zone"]?.stringValue
        let calendar = try JournalLocator.calendar(json: json, file: file)
        let soon = json?["deadlines"]?["dueSoonWorkingHours"]?.intValue ?? DeadlineSettings().dueSoonWorkingHours
        if let journal {
            return OperatorSettings(journal: .sqlite(path: journal), retentionDays: retention, timeZone: zone, calendar: calendar, dueSoonWorkingHours: soon)
        }
        return OperatorSettings(journal: try JournalLocator.journal(json: json, file: file, environment: environment), retentionDays: retention,
                                timeZone: zone, calendar: calendar, dueSoonWorkingHours: soon)
    }
}

/// Finds the journal the way the daemon does.
enum JournalLocator: Sendable {
    /// The config file's path and JSON, or `nil` JSON when the default location has none.
    static func configJSON(config: String?, environment: [String: String]) throws(ConfigError) -> (String, JSONValue?) {
        let configPath = ConfigDiscovery.path(explicit: config, environment: environment)
        guard let bytes = FileBytes.read(configPath) else {
            if config != nil {
                throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), "cannot read the file; check the path and its permissions")])
            }
            return (configPath, nil)
        }
        do {
            return (configPath, try JSONParser.parse(bytes))
        } catch {
            throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), error.description)])
        }
    }

    /// The config's `journal` section, checked as the daemon checks it.
    static func journal(json: JSONValue?, file: String, environment: [String: String]) throws(ConfigError) -> JournalConfig {
        let collector = IssueCollector()
        let section = json?["journal"].flatMap { ConfigObjectReader($0, at: JSONPointer(tokens: ["journal"]), schemaPath: "journal", collector: collector) }
        let secrets = SecretResolver(credentialsDirectory: environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 },
                                     configDirectory: FileBytes.directory(of: file))
        let journal = JournalConfig(reading: section, environment: environment, secrets: secrets, collector: collector)
        guard collector.issues.isEmpty else { throw ConfigError(file: file, issues: collector.issues) }
        return journal
    }

    /// The config's `calendar` section, checked as the daemon checks it.
    static func calendar(json: JSONValue?, file: String) throws(ConfigError) -> CalendarConfig {
        let collector = IssueCollector()
        let section = json?["calendar"].flatMap { ConfigObjectReader($0, at: JSONPointer(tokens: ["calendar"]), schemaPath: "calendar", collector: collector) }
        let calendar = CalendarConfig(reading: section, configDirectory: FileBytes.directory(of: file), collector: collector)
        guard collector.issues.isEmpty else { throw ConfigError(file: file, issues: collector.issues) }
        return calendar
    }
}
