/// A SQL backend's writer as the shared claim and lease code sees it.
protocol SQLWriter: Sendable {
    associatedtype Statements: JournalStatements
    /// The group-committing writer, on the backend's own connection and queue.
    var writer: GroupCommit<Statements> { get }
}

extension SQLWriter {
    // Both backends' `Journal` witnesses (they are internal types): one implementation.

    func apply(_ batch: JournalBatch) async throws(JournalError) -> JournalBatchResult {
        try await writer.apply(batch)
    }

    func claimTransfers(_ request: TransferClaimRequest,
                        update: @escaping @Sendable (TransferRecord) -> (TransferUpdate, TransferRecord)?) async throws(JournalError) -> [TransferRecord] {
        guard request.limits.contains(where: { $0.value > 0 }) else { return [] }
        return try await writer.perform { (statements, now) throws(JournalError) in
            try ClaimWriter.claimTransfers(request, update: update, into: statements, now: now)
        }
    }

    func claimWriteBacks(_ request: WriteBackClaimRequest) async throws(JournalError) -> [WriteBackRecord] {
        guard request.limit > 0 else { return [] }
        return try await writer.perform { (statements, now) throws(JournalError) in
            try ClaimWriter.claimWriteBacks(request, into: statements, now: now)
        }
    }

    func acquireLease(_ name: String, holder: String, liveSince: Timestamp) async throws(JournalError) -> Int64? {
        try await writer.perform { (statements, now) throws(JournalError) in
            try statements.takeLease(name, holder: holder, liveSince: liveSince.millisecondsSinceEpoch, at: now)
        }
    }

    func releaseLease(_ name: String, holder: String) async throws(JournalError) {
        try await writer.perform { (statements, _) throws(JournalError) in try statements.releaseLease(name, holder: holder) }
    }
}

extension SQLReader {
    func instances() async throws(JournalError) -> [InstanceBeat] {
        try await read { session throws(JournalError) in
            try session.rows("SELECT \(JournalRows.instanceColumns) FROM instances ORDER BY heartbeat_at DESC", []) { JournalRows.instance($0) }
        }
    }

    func leases() async throws(JournalError) -> [LeaseRecord] {
        try await read { session throws(JournalError) in
            try session.rows("SELECT name, holder, token FROM leases ORDER BY name", []) { JournalRows.lease($0) }
        }
    }
}
