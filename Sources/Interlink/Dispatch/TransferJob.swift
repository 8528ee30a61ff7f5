/// One claimed transfer's request: a push, a receipt follow-up or a receipt cancellation.
/// Runs outside the engine's actor, journals what the agency said, and reports back for
/// the engine's bookkeeping.
struct TransferJob: Sendable {
    /// The transfer as claimed (a push's or cancellation's attempt counted).
    let transfer: TransferRecord
    let agency: AgencyConfig
    let client: any AgencyClient
    let journal: any Journal
    let logger: Logger
    /// Told when a settle is refused because another node took the claim over.
    let claimLoss: ClaimLoss
    /// Called once the agency has answered (or the request failed), before the answer is
    /// journaled: the agency's concurrency slot is free from then on.
    let answered: @Sendable () async -> Void
    /// What to ask of the agency; a push's body was read while the claim was being committed.
    let work: Dispatcher.Work
    /// The step's payload template, to tell a refusal of the configuration's own values from
    /// one of the dossier's.
    var template: PayloadTemplate?
    /// How the step's agency speaks for this operation.
    var dialect: AgencyDialect = .contract

    /// What happened, for the engine's breaker, counters and reconciliation.
    struct Report: Sendable {
        /// The transfer as it now stands.
        var transfer: TransferRecord
        var health: AgencyHealth
        /// Requests that reached the network (0 when none left).
        var requests: Int
        var retried: Bool
        /// Whether its state changed, so the dossier must be reconciled.
        var changed: Bool
        var responseClass: String?
        /// How long the agency took to answer a push, when one was sent.
        var durationMs: Int?
    }

    func run() async -> Report {
        let action = TransferAction(state: transfer.state)
        let reply: AgencyReply
        var sentKey: String?
        var sentBody: [UInt8]?
        switch work {
        case .push(let body):
            switch await body.value {
            case .success(let bytes):
                sentKey = IdempotencyKeys.push(stored: transfer.idempotencyKey, dossierCode: transfer.dossierCode, step: transfer.step, body: bytes)
                sentBody = bytes
                reply = await client.push(path: transfer.operation, body: bytes, idempotencyKey: sentKey!, dialect: dialect)
            case .failure(let error):
                // Nothing left: the agency's slot is free and its health unknown.
                await answered()
                return await settle(AgencyReply(answer: error.answer, status: nil, durationMs: 0), action: action, requests: 0)
            }
        case .followReceipt, .cancelReceipt:
            guard let receipt = transfer.receipt else {
                await answered()
                return await settle(AgencyReply(answer: .fatal(reason: "\(transfer.state.rawValue) without a receipt"), status: nil, durationMs: 0),
                                    action: action, requests: 0)
            }
            if case .followReceipt = work {
                reply = await client.followReceipt(receipt, dialect: dialect)
            } else {
                reply = await client.cancelReceipt(receipt, idempotencyKey: IdempotencyKeys.cancellation(transfer.idempotencyKey), dialect: dialect)
            }
        }
        await answered()
        return await settle(Self.blamingConfiguration(reply, template: template, action: action), action: action, requests: 1, key: sentKey,
                            body: sentBody)
    }

    private var context: LogContext {
        LogContext(dossier: transfer.dossierCode, step: transfer.step, agency: transfer.agency, transfer: transfer.id, attempt: transfer.attempts)
    }

    /// Journals the transition the reply causes, with its event, and logs what an operator needs.
    private func settle(_ reply: AgencyReply, action: TransferAction, requests: Int, key: String? = nil, body: [UInt8]? = nil) async -> Report {
        var report = Report(transfer: transfer, health: requests == 0 ? .neutral : reply.health, requests: requests, retried: false,
                            changed: false, responseClass: requests == 0 ? nil : reply.responseClass,
                            durationMs: action == .push && requests > 0 ? reply.durationMs : nil)
        if case .handedBack = reply.answer { report.requests = 0 }
        // A new personal ID or certificate number masks what is said about this dossier from now on.
        if case .completed(_, let result) = reply.answer { PersonalValues.shared.remember(transfer.dossierCode, result, source: "transfer \(transfer.id)") }
        guard let transition = TransferTransition.after(reply.answer, to: transfer, action: action, agency: agency, now: .now()) else {
            if case .technical(let reason, _) = reply.answer {
                var logContext = context
                logContext.httpStatus = reply.status
                logContext.extra["reason"] = .string(reason)
                logger.warning("receipt \(action == .followReceipt ? "follow-up" : "cancellation") failed; asking again later", logContext)
            }
            return report
        }
        var detail: [String: JSONValue] = ["durationMs": .number(Double(reply.durationMs))]
        if let status = reply.status { detail["httpStatus"] = .number(Double(status)) }
        // The key the agency saw, which a derived key is not stored as: operators quote it to the agency.
        if let key { detail["idempotencyKey"] = .string(key) }
        var update = transition.update
        // The first request sent is kept: resends and replays send these bytes again.
        if transfer.request == nil, let body { update.request = .some(String(decoding: body, as: UTF8.self)) }
        // Only while this daemon still holds the claim: a node that took it over re-sends it.
        update.fence = transfer.claimToken
        update.owner = .release
        var batch = JournalBatch()
        batch.transferUpdates = [update]
        batch.touchedDossiers = [transfer.dossierCode]
        batch.events = [NewEvent(level: transition.level, kind: transition.kind, dossierCode: transfer.dossierCode,
                                 dossierVersion: transfer.dossierVersion, step: transfer.step, agency: transfer.agency, transferID: transfer.id,
                                 message: transition.message, detail: .object(detail))]
        do {
            if try await journal.apply(batch).staleUpdates.contains(transfer.id) {
                if let now = try? await journal.transfer(id: transfer.id), now.claimToken != transfer.claimToken {
                    claimLoss.noticed("transfer \(transfer.id) of \(transfer.dossierCode)")
                }
                return report
            }
        } catch {
            var failed = context
            failed.extra["reason"] = .string(error.description)
            logger.error("cannot journal a transfer's result; it will be re-sent under the same key", failed)
            return report
        }
        var logContext = context
        logContext.httpStatus = reply.status
        logContext.durationMs = reply.durationMs
        logger.log(transition.level == .info ? .debug : transition.level, transition.message, logContext)
        report.changed = true
        report.retried = transition.retried
        report.transfer.state = transition.update.state
        if let result = transition.update.result { report.transfer.result = result }
        return report
    }

    /// A 422 that names only values the template supplies is a configuration error: the
    /// transfer is dead with a hint for the operator, and the citizen is asked for nothing.
    static func blamingConfiguration(_ reply: AgencyReply, template: PayloadTemplate?, action: TransferAction) -> AgencyReply {
        guard action == .push, case .rejected(let reasons) = reply.answer, let template, template.refusalFaultsConfiguration(reasons) else { return reply }
        let fields = reasons.compactMap { $0["pointer"]?.stringValue }.joined(separator: ", ")
        var blamed = reply
        blamed.answer = .fatal(reason: "configuration error: the agency refused \(fields), which the step's payload template supplies "
                               + "itself, not the dossier; fix the template ({\"$const\": …}) and replay the transfer")
        return blamed
    }
}
