/// A credential read from a file. Its description never shows the value, so a secret
/// passed to a logger or interpolated into an error prints as `[secret]`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The credential itself. Only request builders read it.
    public let value: String
    /// Where it was read from, safe to show.
    public let source: String

    /// Wraps a credential with the file path it was read from.
    public init(value: String, source: String) {
        self.value = value
        self.source = source
    }

    /// `[secret from <source>]`, never the value.
    public var description: String { "[secret from \(source)]" }
    /// The same as ``description``, so debug output hides the value too.
    public var debugDescription: String { description }
}

/// Finds secret files the way systemd hands them over: a relative name is looked up in
/// `$CREDENTIALS_DIRECTORY` (set by `LoadCredential=`), otherwise beside the config file.
struct SecretResolver {
    let credentialsDirectory: String?
    let configDirectory: String

    func path(for name: String) -> String {
        if name.hasPrefix("/") { return name }
        let base = credentialsDirectory ?? configDirectory
        return base.hasSuffix("/") ? base + name : base + "/" + name
    }

    /// Reads and trims the secret; reports an unreadable or empty file at `path`.
    func read(_ name: String, at field: JSONPointer, collector: IssueCollector) -> Secret? {
        let file = path(for: name)
        guard let bytes = FileBytes.read(file) else {
            collector.add(field, "cannot read secret file \(file); create it (mode 0600) or pass it with LoadCredential=")
            return nil
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            collector.add(field, "secret file \(file) is not UTF-8 text")
            return nil
        }
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else {
            collector.add(field, "secret file \(file) is empty")
            return nil
        }
        return Secret(value: trimmed, source: file)
    }
}
