/// One problem in a configuration file, located by the JSON Pointer of the offending field.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(_ path: JSONPointer, _ message: String) {
        self.path = path.description.isEmpty ? "/" : path.description
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A configuration that cannot be used. Lists every problem, so an administrator fixes them in one pass.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let issues: [ConfigIssue]

    /// The process exit status for a refused configuration (`EX_CONFIG` from sysexits.h).
    public static let exitCode: Int32 = 78

    public var description: String {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return "\(file): \(count); fix them and run `interlinkd --check-config` again:\n"
            + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}

extension Error {
    /// The configuration problems this error carries, if it is a ``ConfigError``.
    public var issues: [ConfigIssue] { (self as? ConfigError)?.issues ?? [] }
}
