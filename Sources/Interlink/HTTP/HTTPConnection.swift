/// One client connection, owned by its event loop's thread.
final class HTTPConnection {
    let descriptor: Int32
    /// 1, 2, … in order of acceptance: a request's ``HTTPServerRequest/connection``.
    let number: Int
    /// Tells this connection from a later one that reuses the descriptor.
    let generation: UInt64
    /// Bytes received and not yet parsed into a request.
    var input: [UInt8] = []
    /// Bytes of answers not yet sent, from `sent` on.
    var output: [UInt8] = []
    var sent = 0
    /// A `.later` answer is outstanding: later requests wait, in order.
    var awaiting = false
    /// The outstanding request asked to keep the connection.
    var awaitingKeepAlive = false
    /// Close once `output` is sent.
    var closeAfterWrite = false
    /// Whether a request was served: before it, the first-request timeout applies.
    var servedOne = false
    /// Waiting for a request's first byte, since when (the shedding order, and the idle timeout).
    var idleSince: ContinuousClock.Instant?
    /// A request's first bytes came at: the whole request must arrive within the deadline.
    var requestStarted: ContinuousClock.Instant?
    /// When sending last made progress, while `output` is not empty.
    var lastWrite: ContinuousClock.Instant = .now
    /// Whether the loop also waits for the socket to be writable.
    var watchingWrites = false

    init(descriptor: Int32, number: Int, generation: UInt64) {
        self.descriptor = descriptor
        self.number = number
        self.generation = generation
        idleSince = .now
    }

    var hasOutput: Bool { sent < output.count }
}
