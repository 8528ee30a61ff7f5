import CCurl
import Synchronization

/// Shared between a waiting caller and the curl thread: lets a cancelled caller stop a
/// request that has not started yet without the loop having to remember stray ids.
final class RequestTicket: Sendable {
    let id: UInt64
    let cancelled = Atomic<Bool>(false)

    init(id: UInt64) { self.id = id }
}

/// A request handed to the curl thread with the continuation of the caller awaiting it.
struct PendingRequest: Sendable {
    let ticket: RequestTicket
    let request: HTTPRequest
    let continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>

    func complete(_ result: Result<HTTPResponse, HTTPClientError>) {
        continuation.resume(returning: result)
    }

    func cancel() {
        complete(.failure(HTTPClientError(kind: .cancelled, url: request.url, curlCode: 0, message: "request cancelled")))
    }
}

/// Owns a `CURLM` handle and the one thread that drives it with `curl_multi_poll`.
///
/// Other threads only touch the lock-protected inbox and call `curl_multi_wakeup`, which
/// libcurl documents as thread-safe. Everything else is confined to the loop's thread.
final class CurlMultiLoop: @unchecked Sendable {
    // @unchecked: `multi` is only used by the loop thread, except curl_multi_wakeup (thread-safe);
    // the tables below are touched only on the loop thread; the inbox is a Mutex.
    private enum Command: Sendable {
        case start(PendingRequest)
        case cancel(UInt64)
    }

    private struct Inbox: ~Copyable {
        var commands: [Command] = []
        var stopping = false
        /// Set just before `curl_multi_cleanup`; nobody may touch `multi` after it.
        var gone = false
    }

    /// Requests of one concurrency group: those running and those waiting for a slot.
    private struct Group {
        var running = 0
        var waiting: [PendingRequest] = []
        var waitingHead = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var groups: [String: Group] = [:]
    private var spareHandles: [UnsafeMutableRawPointer] = []
    private var thread: SystemThread?
    private let maxSpareHandles = 128

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(maxConnections: Int) throws(HTTPClientError) {
        guard Self.globalInit == CURLE_OK, let multi = curl_multi_init() else {
            throw HTTPClientError(kind: .other, url: "", curlCode: Int32(Self.globalInit.rawValue),
                                  message: "libcurl could not initialise; the system is out of memory or libcurl is broken")
        }
        self.multi = multi
        _ = interlink_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
        // Keep as many idle connections as may be open, so keep-alive reuse survives bursts.
        _ = interlink_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        thread = SystemThread(name: "interlink-curl") { [self] in run() }
    }

    /// Hands a request to the loop; answers at once with `cancelled` after shutdown.
    /// Wakes the loop thread. Under the inbox lock, so it can never race `curl_multi_cleanup`.
    private func wake(_ inbox: inout Inbox) {
        if !inbox.gone { curl_multi_wakeup(multi) }
    }

    func submit(_ pending: PendingRequest) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.commands.append(.start(pending))
            // A command already waiting means the loop has been woken and has not yet taken
            // the inbox: it will take this one too. One wakeup (a syscall) per batch, not per request.
            if inbox.commands.count == 1 { wake(&inbox) }
            return true
        }
        if !accepted { pending.cancel() }
    }

    func cancel(_ ticket: RequestTicket) {
        ticket.cancelled.store(true, ordering: .sequentiallyConsistent)
        inbox.withLock { inbox in
            inbox.commands.append(.cancel(ticket.id))
            wake(&inbox)
        }
    }

    /// Fails every outstanding request with `cancelled` and stops the thread. Idempotent.
    func shutdown() {
        let first = inbox.withLock { inbox in
            defer { inbox.stopping = true }
            wake(&inbox)
            return !inbox.stopping
        }
        guard first else { return }
        thread?.join()
    }

    private func run() {
        var stillRunning: Int32 = 0
        while true {
            let (commands, stopping) = inbox.withLock { inbox in
                defer { inbox.commands.removeAll(keepingCapacity: true) }
                return (inbox.commands, inbox.stopping)
            }
            for command in commands { handle(command) }
            if stopping { break }
            curl_multi_perform(multi, &stillRunning)
            collectFinished()
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1_000, &ready)
        }
        tearDown()
    }

    private func handle(_ command: Command) {
        switch command {
        case .start(let pending):
            // The group is changed in place: a copy would copy its whole waiting queue each time.
            let key = pending.request.options.concurrencyGroup
            if groups[key, default: Group()].running < pending.request.options.maxConcurrent {
                groups[key, default: Group()].running += 1
                start(pending)
            } else {
                groups[key, default: Group()].waiting.append(pending)
            }
        case .cancel(let id):
            if let (easy, transfer) = active.first(where: { $0.value.pending.ticket.id == id }) {
                curl_multi_remove_handle(multi, easy)
                release(transfer)
                transfer.pending.cancel()
                return
            }
            // Still waiting for a slot: answer now rather than when a slot frees.
            for key in groups.keys {
                guard let index = groups[key]!.waiting[groups[key]!.waitingHead...].firstIndex(where: { $0.ticket.id == id }) else { continue }
                let pending = groups[key]!.waiting.remove(at: index)
                pending.cancel()
                return
            }
        }
    }

    private func start(_ pending: PendingRequest) {
        guard !pending.ticket.cancelled.load(ordering: .sequentiallyConsistent) else {
            pending.cancel()
            return finishedSlot(in: pending.request.options.concurrencyGroup)
        }
        guard let easy = spareHandles.popLast() ?? curl_easy_init() else {
            pending.complete(.failure(HTTPClientError(kind: .transient, url: pending.request.url, curlCode: 0,
                                                      message: "curl_easy_init failed; out of memory")))
            return finishedSlot(in: pending.request.options.concurrencyGroup)
        }
        let transfer = CurlTransfer(pending: pending, easy: easy)
        if let failure = transfer.configure() {
            recycle(easy)
            pending.complete(.failure(failure))
            return finishedSlot(in: pending.request.options.concurrencyGroup)
        }
        active[easy] = transfer
        let added = curl_multi_add_handle(multi, easy)
        if added != CURLM_OK {
            active[easy] = nil
            recycle(easy)
            pending.complete(.failure(HTTPClientError(kind: .transient, url: pending.request.url, curlCode: Int32(added.rawValue),
                                                      message: String(cString: curl_multi_strerror(added)))))
            finishedSlot(in: pending.request.options.concurrencyGroup)
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active[easy] else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            let result = transfer.finish(code: code)
            release(transfer)
            transfer.pending.complete(result)
        }
    }

    /// Returns the transfer's handle to the pool and lets the next waiting request of its group start.
    private func release(_ transfer: CurlTransfer) {
        active[transfer.easy] = nil
        recycle(transfer.easy)
        finishedSlot(in: transfer.pending.request.options.concurrencyGroup)
    }

    private func finishedSlot(in key: String) {
        guard groups[key] != nil else { return }
        // In place, as in `handle`: no copy of the waiting queue.
        let (next, empty) = Self.takeNext(&groups[key]!)
        if empty { groups[key] = nil }
        if let next { start(next) }
    }

    /// Frees a slot of `group` and takes the next waiting request into it, if any.
    private static func takeNext(_ group: inout Group) -> (next: PendingRequest?, empty: Bool) {
        group.running -= 1
        var next: PendingRequest?
        if group.waitingHead < group.waiting.count {
            next = group.waiting[group.waitingHead]
            group.waitingHead += 1
            group.running += 1
            if group.waitingHead > 64, group.waitingHead * 2 > group.waiting.count {
                group.waiting.removeFirst(group.waitingHead)
                group.waitingHead = 0
            }
        }
        return (next, group.running == 0 && group.waitingHead >= group.waiting.count)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        if spareHandles.count < maxSpareHandles {
            curl_easy_reset(easy)
            spareHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }

    private func tearDown() {
        let leftover = inbox.withLock { inbox in
            defer { inbox.commands.removeAll() }
            return inbox.commands
        }
        for command in leftover {
            if case .start(let pending) = command { pending.cancel() }
        }
        for (easy, transfer) in active {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            transfer.pending.cancel()
        }
        active.removeAll()
        for group in groups.values {
            for pending in group.waiting[group.waitingHead...] { pending.cancel() }
        }
        groups.removeAll()
        spareHandles.forEach { curl_easy_cleanup($0) }
        spareHandles.removeAll()
        inbox.withLock { $0.gone = true }
        curl_multi_cleanup(multi)
    }
}
