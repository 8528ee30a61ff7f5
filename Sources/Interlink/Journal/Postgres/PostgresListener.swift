#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// LISTENs for the journal's channels on a connection of its own, on a thread of its own,
/// and hands each notification to every subscriber. Notifications are hints: subscribers
/// poll behind them anyway, so a lost connection only costs a reconnect (with backoff).
final class PostgresListener: Sendable {
    private struct State: ~Copyable {
        var subscribers: [Int: AsyncStream<JournalChannel>.Continuation] = [:]
        var nextID = 0
        var started = false
        var stopping = false
    }

    private let conninfo: String
    private let password: String?
    private let state = Mutex(State())

    init(conninfo: String, password: String?) {
        self.conninfo = conninfo
        self.password = password
    }

    /// A stream of the channels notified, from now until the journal closes.
    func subscribe(_ channels: Set<JournalChannel>) -> AsyncStream<JournalChannel> {
        let (stream, continuation) = AsyncStream<JournalChannel>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let (id, start) = state.withLock { state -> (Int, Bool) in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            defer { state.started = true }
            return (state.nextID, !state.started && !state.stopping)
        }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) } }
        if start { SystemThread.detached(name: "interlink.journal.listen") { [self] in run() } }
        return stream.filter { channels.contains($0) }.eraseToStream()
    }

    /// Ends every subscription and the listening thread (within a second).
    func stop() {
        let subscribers = state.withLock { state in
            state.stopping = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        subscribers.forEach { $0.finish() }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func run() {
        var backoff: UInt32 = 100_000
        while !stopping {
            do throws(PostgresError) {
                let connection = try PostgresConnection(conninfo: conninfo, password: password)
                for channel in JournalChannel.allCases { try connection.execute("LISTEN \(channel.rawValue)") }
                backoff = 100_000
                try listen(on: connection)
            } catch {
                usleep(backoff)
                backoff = min(backoff * 2, 5_000_000)
            }
        }
    }

    /// Waits on the socket a second at a time, so a stop is noticed promptly.
    private func listen(on connection: PostgresConnection) throws(PostgresError) {
        while !stopping {
            var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 1_000) >= 0 || errno == EINTR else { return }
            for notice in try connection.notifications() {
                guard let channel = JournalChannel(rawValue: notice.channel) else { continue }
                let subscribers = state.withLock { Array($0.subscribers.values) }
                subscribers.forEach { $0.yield(channel) }
            }
        }
    }
}

extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// The sequence as an `AsyncStream`.
    func eraseToStream() -> AsyncStream<Element> {
        AsyncStream { continuation in
            let task = Task {
                do {
                    for try await element in self { continuation.yield(element) }
                } catch {}
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
