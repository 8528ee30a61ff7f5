import Synchronization

/// Where log lines go: stderr in the daemon, memory in tests.
public protocol LogSink: Sendable {
    /// Receives one complete line, without its trailing newline.
    func write(line: String)
}

/// The context every sync log line may carry. Named fields rather than free text, so
/// operators can filter on them and nothing personal slips in through interpolation.
public struct LogContext: Sendable {
    public var dossier: String?
    public var step: String?
    public var agency: String?
    public var transfer: Int64?
    public var attempt: Int?
    public var httpStatus: Int?
    public var durationMs: Int?
    /// Anything else; masked like every other field.
    public var extra: [String: JSONValue]

    public init(dossier: String? = nil, step: String? = nil, agency: String? = nil, transfer: Int64? = nil,
                attempt: Int? = nil, httpStatus: Int? = nil, durationMs: Int? = nil, extra: [String: JSONValue] = [:]) {
        self.dossier = dossier
        self.step = step
        self.agency = agency
        self.transfer = transfer
        self.attempt = attempt
        self.httpStatus = httpStatus
        self.durationMs = durationMs
        self.extra = extra
    }

    var fields: [String: JSONValue] {
        var fields = extra
        if let dossier { fields["dossier"] = .string(dossier) }
        if let step { fields["step"] = .string(step) }
        if let agency { fields["agency"] = .string(agency) }
        if let transfer { fields["transfer"] = .number(Double(transfer)) }
        if let attempt { fields["attempt"] = .number(Double(attempt)) }
        if let httpStatus { fields["http_status"] = .number(Double(httpStatus)) }
        if let durationMs { fields["duration_ms"] = .number(Double(durationMs)) }
        return fields
    }
}

/// Writes one JSON object per line, prefixed with the journald priority (`<3>` … `<7>`).
///
/// Masking is done here, not by callers: every string field and the message pass through
/// ``PersonalDataMasker``, and JSON escaping means no value can start a forged line.
public final class Logger: Sendable {
    private let sink: any LogSink
    private let threshold: Atomic<Int>

    public init(level: LogLevel, sink: any LogSink = StandardErrorSink()) {
        self.sink = sink
        self.threshold = Atomic(level.priority)
    }

    /// Changes the level at run time (on SIGHUP).
    public func setLevel(_ level: LogLevel) {
        threshold.store(level.priority, ordering: .relaxed)
    }

    public func isEnabled(_ level: LogLevel) -> Bool {
        level.priority <= threshold.load(ordering: .relaxed)
    }

    public func log(_ level: LogLevel, _ message: String, _ context: LogContext = LogContext()) {
        guard isEnabled(level) else { return }
        sink.write(line: Self.format(level: level, message: message, context: context, at: .now()))
    }

    public func error(_ message: String, _ context: LogContext = LogContext()) { log(.error, message, context) }
    public func warning(_ message: String, _ context: LogContext = LogContext()) { log(.warning, message, context) }
    public func notice(_ message: String, _ context: LogContext = LogContext()) { log(.notice, message, context) }
    public func info(_ message: String, _ context: LogContext = LogContext()) { log(.info, message, context) }
    public func debug(_ message: String, _ context: LogContext = LogContext()) { log(.debug, message, context) }

    /// The exact line for a record; `ts`, `level` and `msg` come first for people reading raw output.
    static func format(level: LogLevel, message: String, context: LogContext, at time: Timestamp) -> String {
        var line: [UInt8] = Array("<\(level.priority)>{\"ts\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":".utf8)
        JSONWriter.writeString(PersonalDataMasker.mask(message), into: &line)
        let fields = context.fields
        for key in fields.keys.sorted() where !["ts", "level", "msg"].contains(key) {
            line.append(UInt8(ascii: ","))
            JSONWriter.writeString(key, into: &line)
            line.append(UInt8(ascii: ":"))
            JSONWriter.write(PersonalDataMasker.mask(fields[key]!, forKey: key), into: &line)
        }
        line.append(UInt8(ascii: "}"))
        return String(decoding: line, as: UTF8.self)
    }
}

/// Writes lines to file descriptor 2 with one `write(2)` each, so concurrent lines never interleave.
public struct StandardErrorSink: LogSink {
    public init() {}

    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        FileDescriptorWriter.writeAll(2, bytes)
    }
}

/// Keeps lines in memory, for tests and for `interlinkctl` commands that render them.
public final class MemoryLogSink: LogSink {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    public var lines: [String] { storage.withLock { $0 } }
}
