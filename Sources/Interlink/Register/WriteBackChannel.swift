/// Where a write-back sender sends: the register, or the national portal's progress service.
/// Each is one endpoint with its own breaker and concurrency; the sender, its claims,
/// retries, keys, replay and counts are the same for both.
protocol WriteBackChannel: Sendable {
    /// The targets it serves, as claims filter them.
    var targets: Set<WriteBackTarget> { get }
    /// Sends one write-back under its key.
    func send(_ record: WriteBackRecord) async -> PeerAnswer
    /// Whether a 200 acknowledges `record`.
    func verified(_ response: HTTPResponse, _ record: WriteBackRecord) -> Bool
    /// The endpoint's concurrency bound.
    var maxConcurrent: Int { get }
}

extension RegisterClient: WriteBackChannel {
    var targets: Set<WriteBackTarget> { [.register] }

    func send(_ record: WriteBackRecord) async -> PeerAnswer {
        await writeBack(record)
    }

    /// The register answers with the record it stored; it must be ours.
    func verified(_ response: HTTPResponse, _ record: WriteBackRecord) -> Bool {
        WriteBackOutcome.verified(response, record)
    }

    var maxConcurrent: Int { endpoint.config.maxConcurrent }
}
