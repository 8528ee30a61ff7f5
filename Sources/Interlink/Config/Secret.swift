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

    /// Why a secret file's bytes cannot be a secret.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notUTF8, controlCharacter, empty

        /// Fit to follow "secret file PATH".
        public var description: String {
            switch self {
            case .notUTF8: "is not UTF-8 text"
            case .controlCharacter: "holds a line break or another control character inside; it must be one line of text"
            case .empty: "is empty"
            }
        }
    }

    /// A secret file's bytes as a secret: UTF-8, one trailing line break (how editors end a
    /// file) and surrounding spaces dropped. Any other control character is refused: a CR or
    /// LF would end up inside an HTTP header line and inject a header.
    public static func parse(_ bytes: [UInt8], source: String) -> Result<Secret, Problem> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        var value = Substring(text)
        if value.hasSuffix("\r\n") { value = value.dropLast(2) } else if value.hasSuffix("\n") { value = value.dropLast() }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return .failure(.controlCharacter) }
        let trimmed = String(value).trimmedWhitespace
        guard !trimmed.isEmpty else { return .failure(.empty) }
        return .success(Secret(value: trimmed, source: source))
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
        return FileBytes.join(credentialsDirectory ?? configDirectory, name)
    }

    /// A file that is not secret (a CA or a client certificate): from `$CREDENTIALS_DIRECTORY`
    /// when it was handed over there, else beside the config, where the service's `DynamicUser=`
    /// can read it without a `LoadCredential=` line the unit would fail to start without.
    func publicPath(for name: String) -> String {
        if name.hasPrefix("/") { return name }
        if let credentialsDirectory, FileBytes.exists(FileBytes.join(credentialsDirectory, name)) {
            return FileBytes.join(credentialsDirectory, name)
        }
        return FileBytes.join(configDirectory, name)
    }

    /// Reads and trims the secret; reports an unreadable or empty file at `path`.
    func read(_ name: String, at field: JSONPointer, collector: IssueCollector) -> Secret? {
        let file = path(for: name)
        let bytes: [UInt8]
        switch FileBytes.readRegularFile(file, limit: 64 << 10) {
        case .success(let read): bytes = read
        case .failure(.notRegular(let kind)):
            collector.add(field, "secret file \(file) is \(kind), not a regular file; point it at a file (mode 0600) or a LoadCredential= name")
            return nil
        case .failure:
            collector.add(field, "cannot read secret file \(file); create it (mode 0600) or pass it with LoadCredential=")
            return nil
        }
        switch Secret.parse(bytes, source: file) {
        case .success(let secret): return secret
        case .failure(let problem):
            collector.add(field, "secret file \(file) \(problem)")
            return nil
        }
    }
}
