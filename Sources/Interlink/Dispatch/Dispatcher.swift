import Synchronization

/// Claims due transfers and builds the jobs that send them.
///
/// A claim is committed (`sending`, attempt counted; or the next look pushed out for receipt
/// follow-ups and cancellations) under this daemon's name and a new fencing token before a
/// request leaves, so after a crash the transfer is re-sent under the same key rather than
/// forgotten, and two nodes never send the same one.
struct Dispatcher: Sendable {
    let journal: any Journal
    let logger: Logger
    /// When claims last looked for work left in `sending`: at most once a second, since that
    /// look walks every transfer in flight on every node, and what it finds (a settle that
    /// failed, a dead node's work) waits for its turn anyway.
    private let abandonedLook = AbandonedLook()

    /// A transfer whose claim committed, as it now stands, and what to ask of its agency.
    struct Claim: Sendable {
        var transfer: TransferRecord
        var work: Work
    }

    /// What a claim asks of the agency; a push carries its body, read while the claim commits.
    enum Work: Sendable {
        case push(Task<Result<[UInt8], RequestBodyError>, Never>)
        case followReceipt
        case cancelReceipt
    }

    /// Claims what is due, within `limits` per agency, in one journal transaction: nothing
    /// this daemon is working on (`excluding`) or planning, nothing another live node holds.
    /// Each push's body is then read, on the journal's reader, while the others start.
    func claim(limits: [String: Int], excluding: Set<Int64>, planning: Set<String>, agencies: [String: AgencyConfig],
               routes: [RouteConfig], instance: DaemonInstance, now: Timestamp) async -> [Claim] {
        let request = TransferClaimRequest(owner: instance.id, dueBy: now, limits: limits, excludingTransfers: excluding,
                                           excludingDossiers: planning, liveSince: instance.liveSince, includeAbandoned: abandonedLook.due())
        let claimed: [TransferRecord]
        do {
            claimed = try await journal.claimTransfers(request) { record in
                agencies[record.agency].map { Self.claimUpdate(record, agency: $0, now: now) }
            }
        } catch {
            logger.error("cannot claim transfers", LogContext(extra: ["reason": .string(error.description)]))
            return []
        }
        let journal = self.journal
        return claimed.map { transfer in
            let work: Work = switch TransferAction(state: transfer.state) {
            // A request already sent goes again exactly as it was: its key names those bytes.
            case .push: .push(Task {
                if let sent = transfer.request { return .success(Array(sent.utf8)) }
                return await RequestBody.render(for: transfer, routes: routes, journal: journal)
            })
            case .followReceipt: .followReceipt
            case .cancelReceipt: .cancelReceipt
            }
            return Claim(transfer: transfer, work: work)
        }
    }

    /// The claim's update and the transfer as it stands once it commits.
    static func claimUpdate(_ transfer: TransferRecord, agency: AgencyConfig, now: Timestamp) -> (TransferUpdate, TransferRecord) {
        var update = TransferUpdate(id: transfer.id, state: transfer.state, expectedState: transfer.state)
        var claimed = transfer
        switch TransferAction(state: transfer.state) {
        case .followReceipt:
            // Push the next look out first, so a crash only delays it.
            let next = nextReceiptPoll(transfer, polling: agency.receipts, now: now)
            update.nextAttemptAt = .some(next)
            claimed.nextAttemptAt = next
        case .cancelReceipt:
            // Counted like a push's attempt; the next look waits out the request, so a crash resends it then.
            update.attempts = transfer.attempts + 1
            update.firstAttemptAt = .some(transfer.firstAttemptAt ?? now)
            let next = now.adding(milliseconds: Int64(agency.endpoint.requestTimeoutMs) + 1_000)
            update.nextAttemptAt = .some(next)
            claimed.nextAttemptAt = next
            claimed.attempts += 1
            claimed.firstAttemptAt = transfer.firstAttemptAt ?? now
        case .push:
            update.state = .sending
            update.attempts = transfer.attempts + 1
            update.firstAttemptAt = .some(transfer.firstAttemptAt ?? now)
            update.nextAttemptAt = .some(nil)
            claimed.state = .sending
            claimed.attempts += 1
            claimed.firstAttemptAt = transfer.firstAttemptAt ?? now
        }
        return (update, claimed)
    }

    /// Receipts are asked about often at first and rarely later: a tenth of their age,
    /// between the configured interval and maximum (land decisions take weeks).
    static func nextReceiptPoll(_ transfer: TransferRecord, polling: ReceiptPollingConfig, now: Timestamp) -> Timestamp {
        let age = now.millisecondsSinceEpoch - (transfer.firstAttemptAt ?? transfer.createdAt).millisecondsSinceEpoch
        let delay = min(max(age / 10, Int64(polling.intervalSeconds) * 1_000), Int64(polling.maxIntervalSeconds) * 1_000)
        return now.adding(milliseconds: delay)
    }

    /// Returns claims whose circuit opened while they were being committed, without an
    /// attempt being made: pushes go back to `ready`, cancellations are due again at once (the
    /// breaker decides when), both with their attempt uncounted. Follow-ups just wait for
    /// their next look.
    func handBack(_ claims: [Claim], now: Timestamp) async {
        var batch = JournalBatch()
        for claim in claims where claim.transfer.state == .sending || claim.transfer.state == .cancelling {
            let sending = claim.transfer.state == .sending
            var update = TransferUpdate(id: claim.transfer.id, state: sending ? .ready : .cancelling, expectedState: claim.transfer.state)
            update.attempts = claim.transfer.attempts - 1
            update.fence = claim.transfer.claimToken
            update.owner = .release
            if !sending { update.nextAttemptAt = .some(now) }
            batch.transferUpdates.append(update)
        }
        guard !batch.isEmpty else { return }
        _ = try? await journal.apply(batch)
    }
}

/// Paces the look for abandoned work (see ``Dispatcher``).
private final class AbandonedLook: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// Whether a claim should look now; if so, the next look is a second away.
    func due() -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
            last = now
            return true
        }
    }
}
