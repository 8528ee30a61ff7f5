import CEventLoop
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One listener's connections, served by one thread waiting on epoll: it accepts, reads,
/// parses, calls the handler, writes and enforces the timeouts, with non-blocking sockets
/// and no thread per connection. Answers given `.later` come back through an eventfd.
/// Everything but `inbox`, `stopping` and the descriptors is touched by the loop thread only.
final class HTTPEventLoop: @unchecked Sendable {
    private let epoll: Int32
    private let wakeDescriptor: Int32
    private let listener: Int32
    private let limits: HTTPServerLimits
    private let replying: @Sendable (HTTPServerRequest) -> HTTPReply
    /// Outstanding `.later` work, which ``HTTPServer/stop()`` waits for.
    private let handlers: DispatchGroup
    private var connections: [Int32: HTTPConnection] = [:]
    private var accepted = 0
    private var generations: UInt64 = 0
    private var lastSweep = ContinuousClock.now
    private let inbox = Mutex<[(descriptor: Int32, generation: UInt64, response: HTTPServerResponse)]>([])
    private let stopping = Atomic(false)
    private let loopThread = Mutex<pthread_t?>(nil)
    private var thread: SystemThread?
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(listener: Int32, limits: HTTPServerLimits, handlers: DispatchGroup, replying: @escaping @Sendable (HTTPServerRequest) -> HTTPReply) {
        self.listener = listener
        self.limits = limits
        self.handlers = handlers
        self.replying = replying
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        watch(listener, EPOLLIN.rawValue, add: true)
        watch(wakeDescriptor, EPOLLIN.rawValue, add: true)
        thread = SystemThread(name: "http-loop") { [self] in
            loopThread.withLock { $0 = pthread_self() }
            run()
        }
    }

    /// Closes the listener and every connection. From another thread it waits for the loop to
    /// end; from a handler on the loop itself, the loop ends once that handler returns.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake()
        let onLoop = loopThread.withLock { $0.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
        if !onLoop { thread?.join() }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    private func watch(_ descriptor: Int32, _ events: UInt32, add: Bool) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, descriptor, &event)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stopping.load(ordering: .sequentiallyConsistent) {
            let count = epoll_wait(epoll, &events, Int32(events.count), 100)
            if count < 0, errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let descriptor = events[index].data.fd, flags = events[index].events
                if descriptor == listener {
                    acceptAll()
                } else if descriptor == wakeDescriptor {
                    var value: UInt64 = 0
                    _ = read(wakeDescriptor, &value, 8)
                    deliverAnswers()
                } else if let connection = connections[descriptor] {
                    if flags & EPOLLIN.rawValue != 0 || flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readable(connection) }
                    if flags & EPOLLOUT.rawValue != 0, connections[descriptor] === connection { flush(connection) }
                }
            }
            if ContinuousClock.now - lastSweep > .milliseconds(100) { sweep() }
        }
        for connection in Array(connections.values) { close(connection) }
        Glibc.close(listener)
        Glibc.close(epoll)
        Glibc.close(wakeDescriptor)
    }

    private func acceptAll() {
        while true {
            // accept4 needs _GNU_SOURCE, which the Glibc module lacks: two fcntl calls per connection instead (they are kept alive).
            let descriptor = accept(listener, nil, nil)
            if descriptor < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return  // EAGAIN: all taken; EMFILE: the next readiness tries again
            }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            if connections.count >= limits.maxConnections {
                // Full: shed the connection that has waited longest without sending a request, or refuse.
                guard let oldest = connections.values.filter({ $0.idleSince != nil && !$0.awaiting }).min(by: { $0.idleSince! < $1.idleSince! }) else {
                    let busy = HTTPServerResponse.error(503, code: "server-busy", message: "too many connections").serialized(keepAlive: false)
                    _ = busy.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    Glibc.close(descriptor)
                    continue
                }
                close(oldest)
            }
            var one: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            accepted += 1
            generations += 1
            let connection = HTTPConnection(descriptor: descriptor, number: accepted, generation: generations)
            connections[descriptor] = connection
            watch(descriptor, EPOLLIN.rawValue | EPOLLRDHUP.rawValue, add: true)
        }
    }

    private func readable(_ connection: HTTPConnection) {
        while true {
            let count = scratch.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                connection.input.append(contentsOf: scratch[0..<count])
                if count < scratch.count { break }
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { break }
            close(connection)  // the peer closed, or the connection broke
            return
        }
        process(connection)
    }

    /// Serves the complete requests in the connection's input, in order, until one is answered later.
    private func process(_ connection: HTTPConnection) {
        while !connection.awaiting, !connection.closeAfterWrite, connections[connection.descriptor] === connection {
            switch HTTPRequestParser.parse(connection.input, limits: limits) {
            case .incomplete:
                if connection.input.isEmpty {
                    connection.requestStarted = nil
                    if connection.idleSince == nil { connection.idleSince = .now }
                } else {
                    connection.idleSince = nil
                    if connection.requestStarted == nil { connection.requestStarted = .now }
                }
                return
            case .invalid(let status, let reason):
                answer(connection, .error(status, code: "bad-request", message: reason), keepAlive: false)
                return
            case .complete(var request, let consumed, let keepAlive):
                connection.input.removeFirst(consumed)
                connection.idleSince = nil
                connection.requestStarted = nil
                connection.servedOne = true
                request.connection = connection.number
                switch replying(request) {
                case .now(let response):
                    answer(connection, response, keepAlive: keepAlive)
                case .later(let work):
                    connection.awaiting = true
                    connection.awaitingKeepAlive = keepAlive
                    handlers.enter()
                    let descriptor = connection.descriptor, generation = connection.generation
                    work { [self] response in
                        inbox.withLock { $0.append((descriptor, generation, response)) }
                        wake()
                        handlers.leave()
                    }
                }
            }
        }
    }

    private func deliverAnswers() {
        let answers = inbox.withLock { inbox in defer { inbox.removeAll() }; return inbox }
        for item in answers {
            guard let connection = connections[item.descriptor], connection.generation == item.generation, connection.awaiting else { continue }
            connection.awaiting = false
            answer(connection, item.response, keepAlive: connection.awaitingKeepAlive)
            process(connection)
        }
    }

    private func answer(_ connection: HTTPConnection, _ response: HTTPServerResponse, keepAlive: Bool) {
        if response.disposition == .reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection.descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            close(connection)
            return
        }
        let keep = keepAlive && response.disposition == .normal && !stopping.load(ordering: .relaxed)
        if !connection.hasOutput { connection.lastWrite = .now }
        connection.output.append(contentsOf: response.serialized(keepAlive: keep))
        if !keep { connection.closeAfterWrite = true }
        flush(connection)
    }

    private func flush(_ connection: HTTPConnection) {
        while connection.hasOutput {
            let count = connection.output.withUnsafeBytes { bytes in
                send(connection.descriptor, bytes.baseAddress! + connection.sent, bytes.count - connection.sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                connection.sent += count
                connection.lastWrite = .now
                continue
            }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                if !connection.watchingWrites {
                    connection.watchingWrites = true
                    watch(connection.descriptor, EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue, add: false)
                }
                return
            }
            close(connection)
            return
        }
        connection.output.removeAll(keepingCapacity: connection.output.capacity <= 64 * 1024)
        connection.sent = 0
        if connection.closeAfterWrite {
            close(connection)
            return
        }
        if connection.watchingWrites {
            connection.watchingWrites = false
            watch(connection.descriptor, EPOLLIN.rawValue | EPOLLRDHUP.rawValue, add: false)
        }
    }

    /// The timeouts: the first request, an idle keep-alive, a request's deadline, a stalled write.
    private func sweep() {
        let now = ContinuousClock.now
        lastSweep = now
        for connection in Array(connections.values) where !connection.awaiting {
            if let idle = connection.idleSince,
               now - idle > .seconds(connection.servedOne ? limits.idleTimeoutSeconds : limits.firstRequestSeconds) {
                close(connection)
            } else if let started = connection.requestStarted, now - started > .seconds(limits.requestDeadlineSeconds) {
                connection.requestStarted = nil
                connection.input.removeAll()
                answer(connection, .error(408, code: "request-timeout", message: "the request took too long to arrive"), keepAlive: false)
            } else if connection.hasOutput, now - connection.lastWrite > .seconds(limits.idleTimeoutSeconds) {
                close(connection)  // the client stopped reading
            }
        }
    }

    private func close(_ connection: HTTPConnection) {
        guard connections[connection.descriptor] === connection else { return }
        connections[connection.descriptor] = nil
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, connection.descriptor, nil)
        Glibc.close(connection.descriptor)
    }
}
