/// Watches the deadlines due by now or soon: settles those done, marks and tells each that
/// goes overdue once (the journal keeps a second daemon from telling it again), and counts
/// what is overdue or nearly due for the metrics. Its own loop, every `deadlines.checkSeconds`.
actor DeadlineWatch {
    let journal: any Journal
    let logger: Logger
    private var config: InterlinkConfig
    private let wake = WakeSignal()
    private var stopping = false
    /// Dossier groups overdue and nearly due at the last check, by route and the agency holding them.
    private(set) var gauges = DeadlineGauges()

    /// At most this many open deadlines are looked at per check; the rest wait for the next.
    static let batchLimit = 2_000
    /// Overdue log lines per check; the journal has an event for every one regardless.
    static let linesPerCheck = 20

    init(journal: any Journal, logger: Logger, config: InterlinkConfig) {
        self.journal = journal
        self.logger = logger
        self.config = config
    }

    func run() async {
        while !stopping {
            await check(now: .now())
            await wake.wait(timeout: .seconds(config.deadlines.checkSeconds))
        }
    }

    func stop() {
        stopping = true
        wake.signal()
    }

    func reload(_ config: InterlinkConfig) {
        self.config = config
    }

    /// One pass at `now`.
    func check(now: Timestamp) async {
        let calendar = config.calendar.calendar
        let soon = calendar.adding(working: Int64(config.deadlines.dueSoonWorkingHours) * 3_600_000, to: now)
        guard let open = try? await journal.openDeadlines(dueBy: soon, groupsOnly: false, limit: Self.batchLimit),
              let incidents = try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 1_000) else { return }
        let current = DeadlineStatus.current(open, routes: config.routes, openIncidents: incidents)
        var batch = JournalBatch()
        var told: [(index: Int, line: String, context: LogContext, level: LogLevel)] = []
        var next = DeadlineGauges()
        for entry in current {
            let row = entry.deadline, status = entry.status
            if status.done {
                batch.deadlineMarks.append(.settled(dossierCode: row.dossierCode, step: row.step))
                continue
            }
            let key = DeadlineGauges.Key(route: row.route, agency: status.onCitizensSide ? "citizen" : status.agency ?? "none")
            guard row.dueAt <= now else {
                if row.step == nil { next.dueSoon[key, default: 0] += 1 }
                continue
            }
            if row.step == nil { next.overdue[key, default: 0] += 1 }
            guard row.overdueAt == nil else { continue }
            let (event, line) = Self.overdueEvent(row, status: status, version: entry.version)
            told.append((batch.deadlineMarks.count, line, LogContext(dossier: row.dossierCode, step: event.step, agency: event.agency,
                                                                       extra: ["due": .string(row.dueAt.description), "why": .string(status.reason?.rawValue ?? "")]),
                         event.level))
            batch.deadlineMarks.append(.overdue(dossierCode: row.dossierCode, step: row.step))
            batch.events.append(event)
        }
        gauges = next
        guard !batch.isEmpty, let result = try? await journal.apply(batch) else { return }
        // A line each, up to a few; past that one line says how many, so a long stop never floods the log.
        let marked = told.filter { result.deadlineMarked.indices.contains($0.index) && result.deadlineMarked[$0.index] }
        for entry in marked.prefix(Self.linesPerCheck) { logger.log(entry.level, entry.line, entry.context) }
        if marked.count > Self.linesPerCheck {
            logger.warning("and \(marked.count - Self.linesPerCheck) more deadlines passed; `interlinkctl overdue` lists them",
                           LogContext(extra: ["overdue": .number(Double(marked.count))]))
        }
    }

    /// The event for a deadline that just passed, and the log line's message.
    static func overdueEvent(_ row: DeadlineRecord, status: DeadlineStatus, version: Int?) -> (NewEvent, String) {
        let due = WorkingCalendar.describe(row.dueAt)
        let line: String
        let message: String
        if let step = row.step {
            line = "step overdue"
            message = "step overdue: \(step) at \(row.agency ?? "?") was due \(due); \(status.explanation)"
        } else {
            line = status.onCitizensSide ? "dossier past its deadline on the citizen's side" : "dossier overdue"
            message = "\(line): due \(due)" + (status.step.map { ", held by step \($0)" } ?? "") + "; \(status.explanation)"
        }
        let event = NewEvent(level: status.onCitizensSide ? .notice : .warning, kind: .deadline, dossierCode: row.dossierCode, dossierVersion: version,
                             step: row.step ?? status.step, agency: row.agency ?? status.agency, message: message,
                             detail: ["due": .string(row.dueAt.description), "route": .string(row.route), "why": .string(status.reason?.rawValue ?? "")])
        return (event, line)
    }
}

/// What the metrics show of deadlines.
public struct DeadlineGauges: Sendable, Hashable {
    /// A route and the agency holding its dossiers (`citizen` for a supplement, `register` for a write-back).
    public struct Key: Sendable, Hashable, Comparable {
        public var route: String
        public var agency: String
        public static func < (lhs: Key, rhs: Key) -> Bool { (lhs.route, lhs.agency) < (rhs.route, rhs.agency) }
    }
    /// Dossier groups past due and not done.
    public var overdue: [Key: Int] = [:]
    /// Dossier groups due within `deadlines.dueSoonWorkingHours`.
    public var dueSoon: [Key: Int] = [:]
    /// Nothing overdue or nearly due.
    public init() {}
}
