import Synchronization

/// An asynchronous HTTP client over libcurl's multi interface.
///
/// One background thread performs every transfer, so callers on Swift's cooperative pool
/// only ever suspend; nothing blocks them. Connections are kept alive and reused across
/// requests to the same host.
public final class HTTPClient: Sendable {
    private let loop: CurlMultiLoop
    private let nextID = Atomic<UInt64>(1)

    /// - Parameter maxConnections: the bound on open connections across all hosts.
    public init(maxConnections: Int = 256) throws(HTTPClientError) {
        loop = try CurlMultiLoop(maxConnections: maxConnections)
    }

    deinit {
        loop.shutdown()
    }

    /// Performs `request`. Any HTTP status is returned as a response; transport failures,
    /// limits and cancellation throw.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let ticket = RequestTicket(id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(PendingRequest(ticket: ticket, request: request, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(ticket)
        }
        return try result.get()
    }

    /// Fails outstanding requests with `cancelled` and stops the transfer thread.
    public func shutdown() {
        loop.shutdown()
    }
}
