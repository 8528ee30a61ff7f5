#if canImport(Glibc)
import Glibc
#endif

/// A joinable POSIX thread for work that must never run on Swift's cooperative pool:
/// the curl multi loop, SQLite, and blocking socket I/O.
public final class SystemThread: @unchecked Sendable {
    // @unchecked: `handle` is written once in init before the thread is shared and only read after.
    private var handle: pthread_t = 0

    private final class Start {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) {
            self.body = body
        }
    }

    /// Starts `body` on a new thread. `name` says what the thread is for, in crash reports.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let start = Unmanaged.passRetained(Start(body: body)).toOpaque()
        let result = pthread_create(&handle, nil, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            start.body()
            return nil
        }, start)
        precondition(result == 0, "pthread_create for \(name) failed with \(result); the system is out of threads or memory")
    }

    /// Waits until the thread's body has returned.
    public func join() {
        pthread_join(handle, nil)
    }

    /// Starts a thread nobody will join.
    public static func detached(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = SystemThread(name: name, body)
        pthread_detach(thread.handle)
    }
}
