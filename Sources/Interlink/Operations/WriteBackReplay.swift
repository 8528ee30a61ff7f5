/// `interlinkctl replay --writeback CODE` and `replay --writebacks --state dead`: a write-back
/// that gave up leaves the register without the dossier's outcome; an administrator sends it
/// again once the cause is fixed. It goes out under its key (the same body), recorded with
/// the acting user and the reason, and the running daemon picks it up within a second.
public enum WriteBackReplay: Sendable {
    /// Which write-backs: those of `dossierCodes`, or else every dead one since `since`.
    public struct Selection: Sendable {
        /// These dossiers' write-backs (each must be dead to be replayed).
        public var dossierCodes: [String] = []
        /// With no codes: only those first tried since then.
        public var since: Timestamp?

        /// Everything dead.
        public init() {}
    }

    /// What was (or, on a dry run, would be) replayed, and what was left and why.
    public struct Result: Sendable {
        /// Set back to pending (or, on a dry run, those that would be).
        public var replayed: [WriteBackRecord] = []
        /// Selected but left as they were, with why.
        public var skipped: [(writeBack: WriteBackRecord, why: String)] = []
    }

    /// Applies the replay. Each update expects the write-back still dead, so two replays
    /// racing each other resend it once.
    public static func run(_ selection: Selection, reason: String, user: String, dryRun: Bool,
                           journal: any Journal) async throws(JournalError) -> Result {
        var result = Result()
        var candidates: [WriteBackRecord] = []
        if selection.dossierCodes.isEmpty {
            candidates = try await journal.writeBacks(states: [.dead], dueBy: nil, dossierCode: nil, target: nil, limit: 100_000)
        } else {
            for code in selection.dossierCodes {
                candidates += try await journal.writeBacks(states: [], dueBy: nil, dossierCode: code, target: nil, limit: WriteBackTarget.allCases.count)
            }
        }
        for record in candidates {
            if record.state != .dead {
                result.skipped.append((record, "it is \(record.state.rawValue), not dead"))
            } else if let since = selection.since, (record.firstAttemptAt ?? since) < since {
                continue
            } else {
                result.replayed.append(record)
            }
        }
        guard !dryRun else { return result }
        var replayed: [WriteBackRecord] = []
        for record in result.replayed {
            var update = WriteBackUpdate(dossierCode: record.dossierCode, sequence: record.sequence, state: .pending, attempts: 0,
                                         nextAttemptAt: nil, firstAttemptAt: nil, lastError: nil)
            update.target = record.target
            update.expectedState = .dead
            var batch = JournalBatch()
            batch.writeBackUpdates = [update]
            // Dropped with the update when another replay won (see BatchWriter).
            batch.events = [NewEvent(level: .notice, kind: .replay, dossierCode: record.dossierCode, dossierVersion: record.dossierVersion,
                                     message: "\(record.target.title) dead → pending: replayed by \(user) under its key: \(reason)",
                                     detail: ["user": .string(user), "reason": .string(reason), "previousError": record.lastError.map(JSONValue.string) ?? .null])]
            guard try await journal.apply(batch).staleWriteBackUpdates.isEmpty else {
                result.skipped.append((record, "another replay or the daemon changed it first"))
                continue
            }
            replayed.append(record)
        }
        result.replayed = replayed
        return result
    }
}
