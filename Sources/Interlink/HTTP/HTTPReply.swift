/// How a handler answers a request on the event loop.
public enum HTTPReply: Sendable {
    /// The answer, computed on the loop: the handler must not block.
    case now(HTTPServerResponse)
    /// The answer comes later, from any thread: `work` gets the function to call with it,
    /// once. The connection waits for it; the loop serves the others meanwhile.
    case later(@Sendable (_ answer: @escaping @Sendable (HTTPServerResponse) -> Void) -> Void)
}

/// Handles one request on a thread of its own, so it may block (the metrics endpoint waits
/// for the engine; tests hold requests). ``HTTPServer/init(limits:handler:)`` runs it so.
public typealias HTTPHandler = @Sendable (HTTPServerRequest) -> HTTPServerResponse
