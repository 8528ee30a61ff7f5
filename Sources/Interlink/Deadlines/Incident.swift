/// What kind of trouble an incident records.
public enum IncidentKind: String, Sendable, Hashable, CaseIterable {
    /// An agency's circuit opened: it failed technically too often in a row.
    case circuitOpen = "circuit-open"
    /// The register stopped answering.
    case registerOutage = "register-outage"
    /// Several transfers at one agency went dead in a row.
    case deadTransfers = "dead-transfers"
    /// Work waited at a service and none of it moved for the configured time.
    case stalledQueue = "stalled-queue"
}

/// One incident: opened once, closed once, shared by every daemon on the journal.
public struct IncidentRecord: Sendable, Hashable {
    /// The journal's id, by which `interlinkctl incidents` and `show` name it.
    public var id: Int64
    /// The agency's name, or `register`.
    public var service: String
    /// What kind of trouble.
    public var kind: IncidentKind
    /// When it opened.
    public var openedAt: Timestamp
    /// When it closed; nil while open.
    public var closedAt: Timestamp?
    /// Failed attempts recorded while it was open.
    public var attempts: Int
    /// Dossiers it held up.
    public var dossiers: Int
    /// The error that opened it.
    public var firstError: String?
    /// The latest error.
    public var lastError: String?

    /// A record as the journal reads it.
    public init(id: Int64, service: String, kind: IncidentKind, openedAt: Timestamp, closedAt: Timestamp?, attempts: Int, dossiers: Int,
                firstError: String?, lastError: String?) {
        self.id = id
        self.service = service
        self.kind = kind
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.attempts = attempts
        self.dossiers = dossiers
        self.firstError = firstError
        self.lastError = lastError
    }
}

/// A change to the incidents: applied in the batch's transaction, so with several daemons an
/// incident is opened, and closed, by one of them only; that one journals the event.
public enum IncidentChange: Sendable, Hashable {
    /// Opens an incident unless one of this kind is open for the service.
    case open(service: String, kind: IncidentKind, error: String)
    /// Counts a failed attempt in the open incident, if any.
    case failure(service: String, kind: IncidentKind, error: String)
    /// Closes the open incident, if any, counting the dossiers it held up.
    case close(service: String, kind: IncidentKind)
}
