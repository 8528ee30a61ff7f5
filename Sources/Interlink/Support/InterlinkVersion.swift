/// The release of every Interlink executable, printed by `--version` and in build info metrics.
public enum InterlinkVersion: Sendable {
    /// The semantic version of this release.
    public static let current = "0.1.0"
}
