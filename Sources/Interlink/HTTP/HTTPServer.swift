import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server for the simulators and the metrics endpoint.
///
/// One thread waits on epoll and serves every connection (``HTTPEventLoop``): no thread per
/// connection, so the simulators are not the limit of what they measure. A handler given
/// with ``init(limits:replying:)`` runs on that thread and must not block; one that may wait
/// answers `.later`. ``init(limits:handler:)`` runs each request on a thread of its own.
/// Connections are bounded by `maxConnections`; when every slot is taken, the one that has
/// waited longest without sending a request is shed, so idle connections never starve a
/// health check. Not a web framework: `Content-Length` bodies only, no TLS, no chunking.
public final class HTTPServer: Sendable {
    private struct State: ~Copyable {
        var address: ListenAddress?
        var loop: HTTPEventLoop?
        var stopped = false
    }

    private let replying: @Sendable (HTTPServerRequest) -> HTTPReply
    private let limits: HTTPServerLimits
    private let state = Mutex(State())
    /// `.later` work still running, which ``stop()`` waits for.
    private let handlers = DispatchGroup()

    /// A stopped server whose `replying` runs on the event loop: it must answer at once or
    /// `.later`. Call ``start(on:)`` to listen.
    public init(limits: HTTPServerLimits = HTTPServerLimits(), replying: @escaping @Sendable (HTTPServerRequest) -> HTTPReply) {
        self.limits = limits
        self.replying = replying
    }

    /// A stopped server whose `handler` runs on a thread of its own for each request, so it may block.
    public convenience init(limits: HTTPServerLimits = HTTPServerLimits(), handler: @escaping HTTPHandler) {
        self.init(limits: limits) { request in
            .later { answer in SystemThread.detached(name: "http-handler") { answer(handler(request)) } }
        }
    }

    /// Binds and starts serving. Returns the port, which the kernel picks when `address.port` is 0.
    @discardableResult
    public func start(on address: ListenAddress) throws(HTTPServerError) -> UInt16 {
        let (descriptor, port) = try ListeningSocket.open(address)
        let loop = HTTPEventLoop(listener: descriptor, limits: limits, handlers: handlers, replying: replying)
        state.withLock { state in
            state.address = ListenAddress(host: address.host, port: port)
            state.loop = loop
            state.stopped = false
        }
        return port
    }

    /// The bound port, or 0 before `start`.
    public var port: UInt16 { state.withLock { $0.address?.port ?? 0 } }

    /// Stops listening and drops every open connection, so clients see refused connections
    /// (how the simulator plays an agency that is down). `resume()` listens again on the same port.
    public func suspend() {
        let loop = state.withLock { state in
            defer { state.loop = nil }
            return state.loop
        }
        loop?.stop()
    }

    /// Listens again on the port the server had. Does nothing while listening.
    public func resume() throws(HTTPServerError) {
        let address = state.withLock { $0.loop == nil && !$0.stopped ? $0.address : nil }
        guard let address else { return }
        try start(on: address)
    }

    /// Whether the server holds a listening socket: false before `start`, while suspended, and after `stop`.
    public var isListening: Bool { state.withLock { $0.loop != nil } }

    /// Stops accepting, closes every connection, and waits for handlers to return. Idempotent.
    public func stop() {
        state.withLock { $0.stopped = true }
        suspend()
        handlers.wait()
    }
}
