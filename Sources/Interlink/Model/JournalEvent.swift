/// What an event records. Every change of state is an event; so is every attempt.
public enum EventKind: String, Sendable, Hashable, CaseIterable {
    case dossierSeen = "dossier-seen"
    case dossierQuarantined = "dossier-quarantined"
    case dossierSkipped = "dossier-skipped"
    case dossierVersionChanged = "dossier-version-changed"
    case transferCreated = "transfer-created"
    case transferState = "transfer-state"
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
}

/// An event to append to the journal.
public struct NewEvent: Sendable, Hashable {
    public var at: Timestamp
    public var level: LogLevel
    public var kind: EventKind
    public var dossierCode: String?
    public var dossierVersion: Int?
    public var step: String?
    public var agency: String?
    public var transferID: Int64?
    public var message: String
    /// Structured detail (HTTP status, duration, reasons, diff). Never raw personal data.
    public var detail: JSONValue?

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
    public var sequence: Int64
    public var event: NewEvent
}

/// Which events to read, newest last.
public struct EventQuery: Sendable, Hashable {
    public var dossierCode: String?
    public var agency: String?
    /// Events at least this severe.
    public var minimumLevel: LogLevel?
    public var since: Timestamp?
    public var until: Timestamp?
    /// Only events after this sequence number (for `--follow`).
    public var afterSequence: Int64?
    public var limit: Int

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
