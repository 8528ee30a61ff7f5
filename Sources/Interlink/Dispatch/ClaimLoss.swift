import Synchronization

/// Says once, loudly, that this daemon lost claims to another node: it was paused or cut
/// off longer than the instance timeout, its claims were taken over, and its late settles
/// are refused (the other node re-sends under the same keys, so nothing is done twice).
final class ClaimLoss: Sendable {
    private let told = Atomic<Bool>(false)
    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// The daemon's own heartbeat found a gap longer than the instance timeout (a SIGSTOP, a
    /// frozen VM): other nodes, if any run, took its claims over even where no late settle
    /// shows it (a settle that failed with the connection the server closed meanwhile).
    func paused(forMs gap: Int64, timeoutMs: Int64) {
        guard gap > timeoutMs else { return }
        noticed("this daemon's heartbeat stopped for \(gap / 1_000) s")
    }

    /// Logs the first loss; later ones are the same story.
    func noticed(_ what: String) {
        guard told.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        logger.warning("another node took over this daemon's claims (it was paused or cut off longer than the instance timeout); "
                       + "its late results are refused and the other node finishes the work", LogContext(extra: ["first": .string(what)]))
    }
}
