import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Delivers signals as an async stream. The default actions of the signals are disabled,
/// so SIGTERM drains instead of killing and SIGHUP reloads instead of hanging up.
public enum SignalStream: Sendable {
    /// A stream yielding each delivered signal's number; ignores those signals' default actions until the process ends.
    public static func make(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = signals.map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let box = SourceBox(sources: sources)
            continuation.onTermination = { _ in box.sources.forEach { $0.cancel() } }
        }
    }
}

/// Carries the signal sources to the stream's termination handler.
private final class SourceBox: @unchecked Sendable {
    // @unchecked: dispatch sources may be cancelled from any thread; the array is never mutated.
    let sources: [any DispatchSourceSignal]

    init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }
}
