/// The release of every Interlink executable, printed by `--version` and in build info metrics.
public enum InterlinkVersion: Sendable {
    public static let current = "0.1.0"
}
