/// Waits until a journal says something changed on its channels, or until a poll interval
/// passes: what `interlinkctl log --follow` waits on. On PostgreSQL the LISTEN connection
/// wakes it at once (a hint only: the poll still runs); SQLite has no notifications, so it
/// polls more often instead.
public final class JournalWatch: Sendable {
    private let wake = WakeSignal()
    private let listener: Task<Void, Never>?
    /// How long ``next()`` waits without a notification.
    public let poll: Duration

    /// Watches `channels` of `journal`; `poll` applies when the journal notifies, `fallback` when it cannot.
    public init(_ journal: any Journal, channels: Set<JournalChannel>, poll: Duration = .seconds(1), fallback: Duration = .milliseconds(300)) {
        let stream = journal.notifications(channels)
        let wake = self.wake
        self.poll = stream == nil ? fallback : poll
        listener = stream.map { stream in
            Task {
                for await _ in stream { wake.signal() }
            }
        }
    }

    /// Returns on the next notification, or after ``poll``.
    public func next() async {
        await wake.wait(timeout: poll)
    }

    deinit {
        listener?.cancel()
    }
}
