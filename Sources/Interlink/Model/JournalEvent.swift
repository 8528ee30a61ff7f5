/// What an event records. Every change of state is an event; so is every attempt.
public enum EventKind: String, Sendable, Hashable, CaseIterable {
    case dossierSeen = "dossier-seen"
    case dossierQuarantined = "dossier-quarantined"
    case dossierSkipped = "dossier-skipped"
    case dossierVersionChanged = "dossier-version-changed"
    case transferCreated = "transfer-created"
    case transferState = "transfer-state"
    /// A step taken over from the register's interconnection record, not pushed again.
    case adopted
    case attempt
    case decision
    case discrepancy
    case outcome
    case writeBack = "write-back"
    case circuit
    case registerPoll = "register-poll"
    case replay
    case review
    case reveal
    case purge
    case daemon
    /// The content hashes of a batch that changed audited data without another event to carry them.
    case content
    /// A dossier or one of its steps is past its statutory deadline.
    case deadline
    /// An incident opened or closed.
    case incident
}

/// An event to append to the journal.
public struct NewEvent: Sendable, Hashable {
    /// When it happened (wall clock).
    public var at: Timestamp
    /// Severity; `interlinkctl log --level` and ``EventQuery/minimumLevel`` filter on it.
    public var level: LogLevel
    /// What kind of event this is.
    public var kind: EventKind
    /// The register's dossier code, when the event concerns one dossier.
    public var dossierCode: String?
    /// The dossier version the event concerns, if any.
    public var dossierVersion: Int?
    /// The route step name, when the event concerns one step.
    public var step: String?
    /// The configured agency name, when the event concerns one agency.
    public var agency: String?
    /// The journal's transfer ID, when the event concerns one transfer.
    public var transferID: Int64?
    /// Human-readable summary for the sync log; must carry no raw personal data.
    public var message: String
    /// Structured detail (HTTP status, duration, reasons, diff). Never raw personal data.
    public var detail: JSONValue?

    /// Builds an event; `at` defaults to now and `level` to `.info`.
    public init(at: Timestamp = .now(), level: LogLevel = .info, kind: EventKind, dossierCode: String? = nil,
                dossierVersion: Int? = nil, step: String? = nil, agency: String? = nil, transferID: Int64? = nil,
                message: String, detail: JSONValue? = nil) {
        self.at = at
        self.level = level
        self.kind = kind
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.step = step
        self.agency = agency
        self.transferID = transferID
        self.message = message
        self.detail = detail
    }
}

/// A journaled event with its position in the append-only sequence.
public struct EventRecord: Sendable, Hashable {
    /// Position in the journal's append-only event sequence; increases with every append.
    public var sequence: Int64
    /// The event as it was appended.
    public var event: NewEvent
}

/// Which events to read, newest last.
public struct EventQuery: Sendable, Hashable {
    /// Only events about this dossier code.
    public var dossierCode: String?
    /// Only events about this agency.
    public var agency: String?
    /// Events at least this severe.
    public var minimumLevel: LogLevel?
    /// Only events at or after this instant.
    public var since: Timestamp?
    /// Only events at or before this instant.
    public var until: Timestamp?
    /// Only events after this sequence number (for `--follow`).
    public var afterSequence: Int64?
    /// At most this many events: the newest ones, still returned oldest first.
    public var limit: Int

    /// Builds a query; every filter left `nil` matches everything, and `limit` defaults to 1,000.
    public init(dossierCode: String? = nil, agency: String? = nil, minimumLevel: LogLevel? = nil, since: Timestamp? = nil,
                until: Timestamp? = nil, afterSequence: Int64? = nil, limit: Int = 1_000) {
        self.dossierCode = dossierCode
        self.agency = agency
        self.minimumLevel = minimumLevel
        self.since = since
        self.until = until
        self.afterSequence = afterSequence
        self.limit = limit
    }
}
