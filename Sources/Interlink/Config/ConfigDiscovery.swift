/// Where the daemon and the CLI look for the config: `--config PATH`, then
/// `$CONFIGURATION_DIRECTORY/interlink.json` (systemd's `ConfigurationDirectory=`),
/// then `/etc/interlink/interlink.json`.
public enum ConfigDiscovery: Sendable {
    /// The file name looked for in `$CONFIGURATION_DIRECTORY`.
    public static let fileName = "interlink.json"
    /// The path used when neither `--config` nor `$CONFIGURATION_DIRECTORY` gives one.
    public static let systemPath = "/etc/interlink/interlink.json"

    /// `explicit` (from `--config`) when given, else the first directory listed in `CONFIGURATION_DIRECTORY`, else ``systemPath``.
    public static func path(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let directories = environment["CONFIGURATION_DIRECTORY"], !directories.isEmpty,
           let first = directories.split(separator: ":").first {
            return first + "/" + fileName
        }
        return systemPath
    }
}
