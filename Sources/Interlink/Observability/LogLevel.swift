/// Log severities, with the syslog priority journald reads from the `<N>` line prefix.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case error, warning, notice, info, debug

    /// The syslog priority (3 = error … 7 = debug), written as the `<N>` prefix journald reads.
    public var priority: Int {
        switch self {
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug: 7
        }
    }

    /// Lower priority numbers are more severe; `a < b` means `a` is more severe.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.priority < rhs.priority }
}
