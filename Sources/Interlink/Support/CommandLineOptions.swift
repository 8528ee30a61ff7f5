/// A usage mistake on the command line; executables print it with their help hint and exit 64.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. "unknown option --foo".
    public let message: String
    /// The exit status for a usage mistake (`EX_USAGE` from sysexits.h).
    public static let exitCode: Int32 = 64

    /// A usage error reporting `message`.
    public init(_ message: String) { self.message = message }

    /// The message alone; callers add their help hint.
    public var description: String { message }
}

/// A small parser for `--flag`, `--option VALUE` and `--option=VALUE` arguments.
///
/// Options must be declared, so an unknown or misspelt one is an error rather than ignored.
public struct CommandLineOptions: Sendable {
    /// The declared flags that were given, without their leading `--`.
    public private(set) var flags: Set<String> = []
    /// Each declared option's values in command-line order, keyed by name without `--`; repeated options keep every value.
    public private(set) var values: [String: [String]] = [:]
    /// Arguments that are not options, in order, including everything after `--`.
    public private(set) var positional: [String] = []

    /// Parses `arguments` (without the program name); throws on an undeclared option or an option missing its value.
    public init(_ arguments: [String], flags knownFlags: Set<String>, options knownOptions: Set<String>) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                positional.append(contentsOf: arguments[index...])
                break
            }
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if knownFlags.contains(name), inlineValue == nil {
                flags.insert(name)
            } else if knownOptions.contains(name) {
                guard let value = inlineValue ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw UsageError("--\(name) needs a value")
                }
                if inlineValue == nil { index += 1 }
                values[name, default: []].append(value)
            } else {
                throw UsageError("unknown option --\(name)")
            }
        }
    }

    /// Whether `flag` (named without `--`) was given.
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value given for `option`.
    public func value(_ option: String) -> String? { values[option]?.last }
}
