/// Which failed transfers an administrator asks to replay.
public struct ReplaySelection: Sendable, Hashable {
    /// Transfers picked by journal ID; when any are given, the filters below are ignored.
    public var transferIDs: [Int64] = []
    /// Only transfers of this dossier code.
    public var dossierCode: String?
    /// Only transfers sent to this agency.
    public var agency: String?
    /// `dead`, `rejected`, or both (the default).
    public var states: Set<TransferState> = [.dead, .rejected]
    /// Only transfers last changed at or after this instant.
    public var since: Timestamp?

    /// A selection without IDs or filters: every dead or rejected transfer.
    public init() {}
}

/// What a replay did, or would do with `--dry-run`.
public struct ReplayResult: Sendable {
    /// The transfers set back to `ready` (with `--dry-run`, those that would be).
    public var replayed: [TransferRecord]
    /// Selected but left alone: no longer failed (another replay got there first), or not failed at all.
    public var skipped: [(transfer: TransferRecord, why: String)]
    /// With `--rerender --dry-run`: how each replayed request would differ from the one sent
    /// (`{"pointer", "before", "after"}`, masked), by transfer id.
    public var differences: [Int64: [JSONValue]] = [:]
}

/// Replays failed transfers: each chain resumes at its failed step (set back to `ready`),
/// reusing the results of completed steps, which are never sent again. The running daemon
/// picks them up within a second.
public enum Replay: Sendable {
    /// The transfers the selection names, in whatever state they are now; nothing is changed.
    public static func candidates(_ selection: ReplaySelection, journal: any Journal) async throws(JournalError) -> [TransferRecord] {
        var found: [TransferRecord] = []
        for id in selection.transferIDs {
            if let transfer = try await journal.transfer(id: id) { found.append(transfer) }
        }
        if selection.transferIDs.isEmpty {
            found = try await journal.transfers(TransferQuery(states: selection.states, agency: selection.agency,
                                                              dossierCode: selection.dossierCode, limit: 100_000))
            if let since = selection.since { found = found.filter { $0.updatedAt >= since } }
        }
        return found
    }

    /// Applies the replay. Each update expects the transfer still failed, so two replays
    /// racing each other send it once: the loser's update is stale and skipped.
    ///
    /// By default the request is sent again exactly as it was first sent, under its key. With
    /// `rerender` it is rendered again from today's configuration (`routes`) under a new,
    /// audited key; with `dryRun` too, the result says how each request would differ.
    public static func run(_ selection: ReplaySelection, reason: String, user: String, newKey: Bool, rerender: Bool = false,
                           routes: [RouteConfig] = [], dryRun: Bool, journal: any Journal) async throws(JournalError) -> ReplayResult {
        let selected = try await candidates(selection, journal: journal)
        var eligible: [TransferRecord] = []
        var skipped: [(transfer: TransferRecord, why: String)] = []
        for transfer in selected {
            if transfer.state == .dead || transfer.state == .rejected {
                eligible.append(transfer)
            } else {
                skipped.append((transfer, "it is \(transfer.state.rawValue), not dead or rejected"))
            }
        }
        guard !dryRun, !eligible.isEmpty else {
            var result = ReplayResult(replayed: eligible, skipped: skipped)
            if rerender { result.differences = await differences(eligible, routes: routes, journal: journal) }
            return result
        }
        var batch = JournalBatch()
        for transfer in eligible {
            var update = TransferUpdate(id: transfer.id, state: .ready, expectedState: transfer.state)
            update.attempts = 0
            update.nextAttemptAt = .some(nil)
            update.firstAttemptAt = .some(nil)
            update.lastError = .some(nil)
            update.reasons = []
            var detail: [String: JSONValue] = ["user": .string(user), "reason": .string(reason), "previousState": .string(transfer.state.rawValue)]
            if rerender {
                update.request = .some(nil)
                detail["rerendered"] = true
            }
            if newKey || rerender {
                let key = freshKey(after: transfer.idempotencyKey)
                update.idempotencyKey = key
                detail["newIdempotencyKey"] = .string(key)
                detail["previousIdempotencyKey"] = .string(transfer.idempotencyKey)
            }
            batch.transferUpdates.append(update)
            batch.touchedDossiers.append(transfer.dossierCode)
            let keyNote = rerender ? " rendered again from today's configuration, under a NEW idempotency key"
                : newKey ? " under a NEW idempotency key (the agency had forgotten the old one)" : " as first sent, under its original idempotency key"
            batch.events.append(NewEvent(level: .notice, kind: .replay, dossierCode: transfer.dossierCode, dossierVersion: transfer.dossierVersion,
                                         step: transfer.step, agency: transfer.agency, transferID: transfer.id,
                                         message: "\(transfer.state.rawValue) → ready: replayed by \(user)\(keyNote): \(reason)",
                                         detail: .object(detail)))
        }
        let stale = Set(try await journal.apply(batch).staleUpdates)
        for transfer in eligible where stale.contains(transfer.id) {
            skipped.append((transfer, "another replay or the daemon changed it first"))
        }
        return ReplayResult(replayed: eligible.filter { !stale.contains($0.id) }, skipped: skipped)
    }

    /// How each transfer's request, rendered again from `routes`, would differ from the one sent.
    private static func differences(_ transfers: [TransferRecord], routes: [RouteConfig], journal: any Journal) async -> [Int64: [JSONValue]] {
        var found: [Int64: [JSONValue]] = [:]
        for transfer in transfers {
            guard let sent = transfer.request.flatMap({ try? JSONParser.parse(Array($0.utf8)) }),
                  case .success(let bytes) = await RequestBody.render(for: transfer, routes: routes, journal: journal),
                  let now = try? JSONParser.parse(bytes) else { continue }
            found[transfer.id] = RequestDiff.differences(sent, now)
        }
        return found
    }

    /// `KEY` → `KEY:resend-1`, `KEY:resend-1` → `KEY:resend-2`.
    static func freshKey(after key: String) -> String {
        if let marker = key.firstRange(of: ":resend-"), let generation = Int(key[marker.upperBound...]) {
            return IdempotencyKeys.resend(String(key[..<marker.lowerBound]), generation: generation + 1)
        }
        return IdempotencyKeys.resend(key, generation: 1)
    }
}
