/// One problem in a configuration file, located by the JSON Pointer of the offending field.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// The JSON Pointer of the offending field, e.g. `/agencies/land/retry/maxAttempts`; `/` for the whole file.
    public let path: String
    /// What is wrong and, where it helps, how to fix it.
    public let message: String

    /// An issue at `path` (the empty pointer stands for the whole file).
    public init(_ path: JSONPointer, _ message: String) {
        self.path = path.description.isEmpty ? "/" : path.description
        self.message = message
    }

    /// `path: message`, one line as listed in a ``ConfigError``.
    public var description: String { "\(path): \(message)" }
}

/// A configuration that cannot be used. Lists every problem, so an administrator fixes them in one pass.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The path of the configuration file that was refused.
    public let file: String
    /// Every problem found, in the order they were found.
    public let issues: [ConfigIssue]

    /// The process exit status for a refused configuration (`EX_CONFIG` from sysexits.h).
    public static let exitCode: Int32 = 78

    /// The file, the number of problems and each problem on its own indented line.
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
