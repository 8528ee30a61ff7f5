/// What `interlinkctl` needs from the daemon's config, read without secrets (operators running
/// the CLI need not have the agencies' tokens).
public struct OperatorSettings: Sendable {
    public var journalPath: String
    /// `retention.completedDays`, when the config sets it.
    public var retentionDays: Int?

    public static func load(journal: String?, config: String?, environment: [String: String]) throws(ConfigError) -> OperatorSettings {
        let json = try JournalLocator.configJSON(config: config, environment: environment)
        let retention = json?["retention"]?["completedDays"]?.intValue
        if let journal { return OperatorSettings(journalPath: journal, retentionDays: retention) }
        return OperatorSettings(journalPath: try JournalLocator.path(json: json, environment: environment), retentionDays: retention)
    }
}

/// Finds the journal the way the daemon does.
public enum JournalLocator: Sendable {
    /// The config file as JSON, or `nil` when the default location has none.
    static func configJSON(config: String?, environment: [String: String]) throws(ConfigError) -> JSONValue? {
        let configPath = ConfigDiscovery.path(explicit: config, environment: environment)
        guard let bytes = FileBytes.read(configPath) else {
            if config != nil {
                throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), "cannot read the file; check the path and its permissions")])
            }
            return nil
        }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), error.description)])
        }
    }

    static func path(json: JSONValue?, environment: [String: String]) throws(ConfigError) -> String {
        let stateDirectory = environment["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) } ?? "/var/lib/interlink"
        guard let path = json?["journal"]?["path"] else { return stateDirectory + "/journal.sqlite" }
        guard let text = path.stringValue else {
            throw ConfigError(file: "config", issues: [ConfigIssue(JSONPointer(tokens: ["journal", "path"]), "expected string, found \(path.typeName)")])
        }
        return text
    }
}
