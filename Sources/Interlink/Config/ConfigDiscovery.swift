/// Where the daemon and the CLI look for the config: `--config PATH`, then
/// `$CONFIGURATION_DIRECTORY/interlink.json` (systemd's `ConfigurationDirectory=`),
/// then `/etc/interlink/interlink.json`.
public enum ConfigDiscovery: Sendable {
    public static let fileName = "interlink.json"
    public static let systemPath = "/etc/interlink/interlink.json"

    public static func path(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let directories = environment["CONFIGURATION_DIRECTORY"], !directories.isEmpty,
           let first = directories.split(separator: ":").first {
            return first + "/" + fileName
        }
        return systemPath
    }
}
