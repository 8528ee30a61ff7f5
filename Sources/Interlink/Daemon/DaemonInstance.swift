#if canImport(Glibc)
import Glibc
#endif

/// Who this daemon is among the nodes that share a journal, and how it shows it is alive.
///
/// Every run registers an instance row and beats it every few seconds. What an instance
/// claims (transfers, write-backs, the register poll's lease) is taken over only once its
/// heartbeat is older than `timeout`: never on elapsed time while it still beats.
public struct DaemonInstance: Sendable, Hashable {
    /// Unique per run: host, pid and start time.
    public let id: String
    /// The host name.
    public let host: String
    /// The process id.
    public let pid: Int
    /// When this run started.
    public let startedAt: Timestamp
    /// A heartbeat older than this marks an instance dead.
    public let timeoutMs: Int64

    /// This process, with the given instance timeout.
    public static func current(timeoutSeconds: Int) -> DaemonInstance {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        let started = Timestamp.now()
        let pid = Int(getpid())
        return DaemonInstance(id: "\(host)-\(pid)-\(started.millisecondsSinceEpoch)", host: host, pid: pid, startedAt: started,
                              timeoutMs: Int64(timeoutSeconds) * 1_000)
    }

    /// Instances whose heartbeat is older than this are dead.
    public var liveSince: Timestamp { Timestamp.now().adding(milliseconds: -timeoutMs) }

    /// This instance's row as it stands now.
    func beat(status: String, detail: JSONValue, stopped: Bool = false) -> InstanceBeat {
        let now = Timestamp.now()
        return InstanceBeat(id: id, host: host, pid: pid, startedAt: startedAt, heartbeatAt: now, stoppedAt: stopped ? now : nil,
                            status: status, detail: detail)
    }

    /// Registers this instance, and marks stopped the instances that cannot be running, so
    /// their claims are taken over at once instead of after the timeout: every other one when
    /// the journal serves one daemon (SQLite's lock proves it), else those of this host whose
    /// process is gone (a restart after a crash).
    func register(in journal: any Journal, exclusive: Bool) async throws(JournalError) {
        var batch = JournalBatch()
        batch.instances = [beat(status: "starting", detail: [:])]
        for other in try await journal.instances() where other.id != id && other.stoppedAt == nil {
            guard exclusive || (other.host == host && kill(pid_t(other.pid), 0) != 0 && errno == ESRCH) else { continue }
            var stopped = other
            stopped.stoppedAt = Timestamp.now()
            batch.instances.append(stopped)
        }
        try await journal.apply(batch)
    }
}
