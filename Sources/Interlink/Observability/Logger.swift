import Synchronization

/// Where log lines go: stderr in the daemon, memory in tests.
public protocol LogSink: Sendable {
    /// Receives one complete line, without its trailing newline.
    func write(line: String)
    /// Receives the record itself, already masked; sinks that keep fields (journald) override it.
    func write(entry: LogEntry)
}

extension LogSink {
    /// Writes the entry as its JSON line.
    public func write(entry: LogEntry) { write(line: entry.line) }
}

/// One log record, masked: what a sink writes.
public struct LogEntry: Sendable {
    public var level: LogLevel
    public var time: Timestamp
    /// The masked message.
    public var message: String
    /// The masked context fields by name (`dossier`, `agency`, `http_status`, …).
    public var fields: [String: JSONValue]

    /// The JSON line, prefixed with the journald priority (`<3>` … `<7>`): `ts`, `level` and `msg` first.
    public var line: String {
        var line: [UInt8] = Array("<\(level.priority)>{\"ts\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":".utf8)
        JSONWriter.writeString(message, into: &line)
        for key in fields.keys.sorted() where !["ts", "level", "msg"].contains(key) {
            line.append(UInt8(ascii: ","))
            JSONWriter.writeString(key, into: &line)
            line.append(UInt8(ascii: ":"))
            JSONWriter.write(fields[key]!, into: &line)
        }
        line.append(UInt8(ascii: "}"))
        return String(decoding: line, as: UTF8.self)
    }
}

/// The context every sync log line may carry. Named fields rather than free text, so
/// operators can filter on them and nothing personal slips in through interpolation.
public struct LogContext: Sendable {
    /// The register's dossier code (logged as `dossier`).
    public var dossier: String?
    /// The route step name.
    public var step: String?
    /// The configured agency name.
    public var agency: String?
    /// The journal's transfer ID.
    public var transfer: Int64?
    /// The attempt count so far (a transfer's attempts, or consecutive register poll failures).
    public var attempt: Int?
    /// The HTTP status of an answer (logged as `http_status`).
    public var httpStatus: Int?
    /// A duration in milliseconds, such as a request's or a retry delay's (logged as `duration_ms`).
    public var durationMs: Int?
    /// Anything else; masked like every other field.
    public var extra: [String: JSONValue]

    /// Builds a context; fields left `nil` are not written.
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

    /// Builds a logger that writes lines at `level` and more severe to `sink` (stderr by default).
    public init(level: LogLevel, sink: any LogSink = StandardErrorSink()) {
        self.sink = sink
        self.threshold = Atomic(level.priority)
    }

    /// Changes the level at run time (on SIGHUP).
    public func setLevel(_ level: LogLevel) {
        threshold.store(level.priority, ordering: .relaxed)
    }

    /// Whether a line at `level` would be written under the current level.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level.priority <= threshold.load(ordering: .relaxed)
    }

    /// Writes `message` with `context` at `level`, if that level is enabled; masking happens in the formatter.
    public func log(_ level: LogLevel, _ message: String, _ context: LogContext = LogContext()) {
        guard isEnabled(level) else { return }
        sink.write(entry: Self.entry(level: level, message: message, context: context, at: .now()))
    }

    /// Logs at `.error`: see ``log(_:_:_:)``.
    public func error(_ message: String, _ context: LogContext = LogContext()) { log(.error, message, context) }
    /// Logs at `.warning`: see ``log(_:_:_:)``.
    public func warning(_ message: String, _ context: LogContext = LogContext()) { log(.warning, message, context) }
    /// Logs at `.notice`: see ``log(_:_:_:)``.
    public func notice(_ message: String, _ context: LogContext = LogContext()) { log(.notice, message, context) }
    /// Logs at `.info`: see ``log(_:_:_:)``.
    public func info(_ message: String, _ context: LogContext = LogContext()) { log(.info, message, context) }
    /// Logs at `.debug`: see ``log(_:_:_:)``.
    public func debug(_ message: String, _ context: LogContext = LogContext()) { log(.debug, message, context) }

    /// The exact line for a record; `ts`, `level` and `msg` come first for people reading raw output.
    static func format(level: LogLevel, message: String, context: LogContext, at time: Timestamp) -> String {
        entry(level: level, message: message, context: context, at: time).line
    }

    /// The masked record: a line about a dossier is checked against that dossier's own values
    /// first (any spelling), then by shape.
    static func entry(level: LogLevel, message: String, context: LogContext, at time: Timestamp) -> LogEntry {
        let about = context.dossier
        var fields: [String: JSONValue] = [:]
        for (key, value) in context.fields {
            // A chain hash is no personal data, and masking digit runs in it would make it useless to anchor.
            fields[key] = key == "tip" ? value : key == "dossier" ? PersonalDataMasker.mask(value, forKey: key)
                : PersonalDataMasker.mask(value, about: about, forKey: key)
        }
        return LogEntry(level: level, time: time, message: PersonalDataMasker.mask(message, about: about), fields: fields)
    }
}

/// Writes lines to file descriptor 2 with one `write(2)` each, so concurrent lines never interleave.
public struct StandardErrorSink: LogSink {
    /// Builds a sink writing to the process's standard error.
    public init() {}

    /// Writes the line and a newline in one `write(2)`: see ``LogSink/write(line:)``.
    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        FileDescriptorWriter.writeAll(2, bytes)
    }
}

/// Keeps lines in memory, for tests and for `interlinkctl` commands that render them.
public final class MemoryLogSink: LogSink {
    private let storage = Mutex<[String]>([])

    /// Builds an empty sink.
    public init() {}

    /// Appends the line to memory: see ``LogSink/write(line:)``.
    public func write(line: String) {
        storage.withLock { $0.append(line) }
    }

    /// Every line written so far, oldest first.
    public var lines: [String] { storage.withLock { $0 } }
}
