import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Handles one request. Runs on the connection's own thread, so it may block (the
/// simulator sleeps to inject latency) without stalling other connections.
public typealias HTTPHandler = @Sendable (HTTPServerRequest) -> HTTPServerResponse

/// A small HTTP/1.1 server for the simulators and the metrics endpoint.
///
/// One thread accepts; each connection gets its own thread and keeps alive until the
/// client closes, goes idle, or sends something malformed (answered with 4xx, then closed).
/// Threads are bounded by `maxConnections`. When every slot is taken, the connection that
/// has waited longest without sending a request is shed to admit the new one, so idle
/// connections can never starve a health check.
/// Not a web framework: `Content-Length` bodies only, no TLS, no chunking.
public final class HTTPServer: Sendable {
    private struct State: ~Copyable {
        var address: ListenAddress?
        var listener: Int32 = -1
        var acceptThread: SystemThread?
        var connections: Set<Int32> = []
        /// Connections waiting for a request's first bytes, since when.
        var idleSince: [Int32: ContinuousClock.Instant] = [:]
        var accepted = 0
        var stopped = false
    }

    private let handler: HTTPHandler
    private let limits: HTTPServerLimits
    private let state = Mutex(State())
    private let running = DispatchGroup()

    /// Builds a stopped server that will answer every request with `handler`, within `limits`; call ``start(on:)`` to listen.
    public init(limits: HTTPServerLimits = HTTPServerLimits(), handler: @escaping HTTPHandler) {
        self.limits = limits
        self.handler = handler
    }

    /// Binds and starts serving. Returns the port, which the kernel picks when `address.port` is 0.
    @discardableResult
    public func start(on address: ListenAddress) throws(HTTPServerError) -> UInt16 {
        let (descriptor, port) = try ListeningSocket.open(address)
        state.withLock { state in
            state.address = ListenAddress(host: address.host, port: port)
            state.listener = descriptor
            state.stopped = false
            state.acceptThread = SystemThread(name: "http-accept") { [self] in acceptLoop(descriptor) }
        }
        return port
    }

    /// The bound port, or 0 before `start`.
    public var port: UInt16 { state.withLock { $0.address?.port ?? 0 } }

    /// Stops listening and drops every open connection, so clients see refused connections
    /// (how the simulator plays an agency that is down). `resume()` listens again on the same port.
    public func suspend() {
        let (listener, thread) = state.withLock { state -> (Int32, SystemThread?) in
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            defer {
                state.listener = -1
                state.acceptThread = nil
            }
            return (state.listener, state.acceptThread)
        }
        guard listener >= 0 else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        thread?.join()
        close(listener)
    }

    /// Listens again on the port the server had. Does nothing while listening.
    public func resume() throws(HTTPServerError) {
        let address = state.withLock { $0.listener < 0 && !$0.stopped ? $0.address : nil }
        guard let address else { return }
        try start(on: address)
    }

    /// Whether the server holds a listening socket: false before `start`, while suspended, and after `stop`.
    public var isListening: Bool { state.withLock { $0.listener >= 0 } }

    /// Stops accepting, closes every connection, and waits for handlers to return. Idempotent.
    public func stop() {
        state.withLock { $0.stopped = true }
        suspend()
        running.wait()
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    usleep(10_000)  // out of descriptors: back off instead of spinning
                    continue
                }
                return
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let number = state.withLock { state -> Int? in
                guard state.listener == listener else { return nil }
                if state.connections.count >= limits.maxConnections {
                    // Full: shed the longest-idle connection (its thread sees the shutdown and ends), or refuse.
                    guard let oldest = state.idleSince.min(by: { $0.value < $1.value })?.key else { return nil }
                    state.idleSince[oldest] = nil
                    shutdown(oldest, Int32(SHUT_RDWR))
                }
                state.connections.insert(connection)
                state.accepted += 1
                return state.accepted
            }
            guard let number else {
                let busy = HTTPServerResponse.error(503, code: "server-busy", message: "too many connections")
                _ = sendAll(connection, busy.serialized(keepAlive: false))
                close(connection)
                continue
            }
            running.enter()
            SystemThread.detached(name: "http-conn") { [self] in
                serve(connection, number: number)
                state.withLock { state in
                    _ = state.connections.remove(connection)
                    state.idleSince[connection] = nil
                }
                close(connection)
                running.leave()
            }
        }
    }

    private func serve(_ connection: Int32, number: Int) {
        var one: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var idle = timeval(tv_sec: limits.idleTimeoutSeconds, tv_usec: 0)
        var first = timeval(tv_sec: limits.firstRequestSeconds, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &first, socklen_t(MemoryLayout<timeval>.size))
        // A client that stops reading must not hold the thread forever either.
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &idle, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var requestStarted: ContinuousClock.Instant?
        while true {
            switch HTTPRequestParser.parse(buffer, limits: limits) {
            case .incomplete:
                // A whole request must arrive within the deadline, however slowly its bytes trickle in.
                if buffer.isEmpty {
                    requestStarted = nil
                } else if let started = requestStarted, ContinuousClock.now - started > .seconds(limits.requestDeadlineSeconds) {
                    let response = HTTPServerResponse.error(408, code: "request-timeout", message: "the request took too long to arrive")
                    _ = sendAll(connection, response.serialized(keepAlive: false))
                    return
                } else if requestStarted == nil {
                    requestStarted = .now
                }
                if buffer.isEmpty { state.withLock { $0.idleSince[connection] = .now } }
                let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                state.withLock { _ = $0.idleSince.removeValue(forKey: connection) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            case .invalid(let status, let reason):
                let response = HTTPServerResponse.error(status, code: "bad-request", message: reason)
                _ = sendAll(connection, response.serialized(keepAlive: false))
                return
            case .complete(var request, let consumed, let keepAlive):
                buffer.removeFirst(consumed)
                request.connection = number
                // After the first request, the keep-alive idle timeout applies.
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &idle, socklen_t(MemoryLayout<timeval>.size))
                let response = handler(request)
                switch response.disposition {
                case .reset:
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    return
                case .close, .normal:
                    let keep = keepAlive && response.disposition == .normal && isListening
                    guard sendAll(connection, response.serialized(keepAlive: keep)), keep else { return }
                }
            }
        }
    }

    private func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }
}
