/// A daemon instance's registration or heartbeat, written with a batch.
public struct InstanceBeat: Sendable, Hashable {
    /// Unique per daemon run: host, pid and start time.
    public var id: String
    /// The host name.
    public var host: String
    /// The process id.
    public var pid: Int
    /// When the daemon started.
    public var startedAt: Timestamp
    /// When it last showed it is alive.
    public var heartbeatAt: Timestamp
    /// When it stopped cleanly; nil while it runs.
    public var stoppedAt: Timestamp?
    /// Its live summary line (STATUS=).
    public var status: String
    /// What it holds and how it sees the world: circuits, the register's health, leases.
    public var detail: JSONValue

    /// A beat; see each member.
    public init(id: String, host: String, pid: Int, startedAt: Timestamp, heartbeatAt: Timestamp, stoppedAt: Timestamp? = nil,
                status: String = "", detail: JSONValue = [:]) {
        self.id = id
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.stoppedAt = stoppedAt
        self.status = status
        self.detail = detail
    }
}

/// A named lease held by one instance at a time: the register poll is one.
public struct LeaseRecord: Sendable, Hashable {
    /// The lease's name, e.g. `register-poll`.
    public var name: String
    /// The instance holding it; nil when released.
    public var holder: String?
    /// Grows with every change of holder: the fencing token of what the holder writes.
    public var token: Int64
}

/// The notification channels a journal may offer, as hints to look sooner.
public enum JournalChannel: String, Sendable, Hashable, CaseIterable {
    /// Something became due: new transfers, replays, queued write-backs.
    case work = "interlink_work"
    /// Events were appended.
    case events = "interlink_events"
}
