/// Finds the journal for `interlinkctl` the way the daemon does, without reading secrets
/// (operators running the CLI need not have the agencies' tokens).
public enum JournalLocator: Sendable {
    public static func path(journal: String?, config: String?, environment: [String: String]) throws(ConfigError) -> String {
        if let journal { return journal }
        let configPath = ConfigDiscovery.path(explicit: config, environment: environment)
        let stateDirectory = environment["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) } ?? "/var/lib/interlink"
        let fallback = stateDirectory + "/journal.sqlite"
        guard let bytes = FileBytes.read(configPath) else {
            if config != nil {
                throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), "cannot read the file; check the path and its permissions")])
            }
            return fallback
        }
        do {
            let json = try JSONParser.parse(bytes)
            guard let path = json["journal"]?["path"] else { return fallback }
            guard let text = path.stringValue else {
                throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: ["journal", "path"]), "expected string, found \(path.typeName)")])
            }
            return text
        } catch let error as JSONParseError {
            throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), error.description)])
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: configPath, issues: [ConfigIssue(JSONPointer(tokens: []), "\(error)")])
        }
    }
}
