/// A usage mistake on the command line; executables print it with their help hint and exit 64.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public static let exitCode: Int32 = 64

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A small parser for `--flag`, `--option VALUE` and `--option=VALUE` arguments.
///
/// Options must be declared, so an unknown or misspelt one is an error rather than ignored.
public struct CommandLineOptions: Sendable {
    public private(set) var flags: Set<String> = []
    public private(set) var values: [String: [String]] = [:]
    public private(set) var positional: [String] = []

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

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value given for `option`.
    public func value(_ option: String) -> String? { values[option]?.last }
}
