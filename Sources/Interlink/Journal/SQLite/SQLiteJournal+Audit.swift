extension SQLiteJournal {
    /// Recomputes the whole chain: the number of events, the first break (`nil` when every event
    /// verifies) and the hash of the last verified event, which operators can record elsewhere.
    public func verifyAuditChain() async throws(JournalError) -> (events: Int, firstBreak: AuditChain.Break?, tip: [UInt8]) {
        try await read { session throws(SQLiteError) in
            let statement = try session.connection.prepare("SELECT \(Self.eventColumns), hash FROM events ORDER BY seq")
            try statement.bind([])
            var previous = SHA256.zero
            var expectedSequence: Int64 = 1
            var count = 0
            while try statement.step() {
                let record = Self.decodeEvent(statement)
                count += 1
                if record.sequence > expectedSequence {
                    let missing = record.sequence - 1 == expectedSequence ? "event \(expectedSequence) is" : "events \(expectedSequence)…\(record.sequence - 1) are"
                    return (count, AuditChain.Break(sequence: expectedSequence, reason: "\(missing) missing (deleted)"), previous)
                }
                if record.sequence < expectedSequence {
                    return (count, AuditChain.Break(sequence: record.sequence, reason: "sequence numbers repeat or go back"), previous)
                }
                let computed = AuditChain.link(previous: previous, sequence: record.sequence, event: record.event)
                guard let stored = statement.blob(11), stored == computed else {
                    return (count, AuditChain.Break(sequence: record.sequence,
                                                    reason: "its hash does not match its content and the previous event's hash"), previous)
                }
                previous = computed
                expectedSequence += 1
            }
            return (count, nil, previous)
        }
    }
}
