/// One claimed transfer's request: a push to the agency, or a receipt follow-up. Runs
/// outside the engine actor; reports what happened for the engine's bookkeeping.
struct TransferJob: Sendable {
    let transfer: TransferRecord
    /// The routes in force when the job was claimed; its step is found through the dossier's procedure.
    let routes: [RouteConfig]
    let agency: AgencyConfig
    let client: EndpointClient
    let journal: any Journal
    let logger: Logger
    /// Called once the agency has answered (or the request failed), before the answer is
    /// journaled: the agency's concurrency slot is free from then on.
    let answered: @Sendable () async -> Void
    /// The request body, read and rendered while the claim was being committed.
    var preparedBody: Task<[UInt8], any Error>?

    /// How the agency behaved, for its circuit breaker.
    enum Health: Sendable {
        case healthy, failing, neutral
    }

    struct Report: Sendable {
        /// The transfer as it now stands.
        var transfer: TransferRecord
        var health: Health
        var requests: Int
        var retried: Bool
        /// Whether its state changed, so the dossier must be reconciled.
        var changed: Bool
        var responseClass: String?
        /// How long the agency took to answer a push, when one was sent.
        var durationMs: Int?
    }

    func run() async -> Report {
        transfer.state == .accepted ? await followReceipt() : await push()
    }

    private var context: LogContext {
        LogContext(dossier: transfer.dossierCode, step: transfer.step, agency: transfer.agency, transfer: transfer.id, attempt: transfer.attempts)
    }

    /// Sends the step's request, built from the dossier and earlier steps' results.
    private func push() async -> Report {
        let body: [UInt8]
        do {
            if let preparedBody {
                body = try await preparedBody.value
            } else {
                body = try await Self.requestBody(for: transfer, routes: routes, journal: journal)
            }
        } catch {
            return await settle(.fatal(reason: "\(error)"), status: nil, durationMs: 0)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let answer = await client.send("POST", transfer.operation, body: body, idempotencyKey: transfer.idempotencyKey)
        let elapsed = clock.now - started
        await answered()
        let durationMs = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return await settle(ResponseClassifier.classify(answer), status: try? answer.get().status, durationMs: durationMs)
    }

    /// The step's request, rendered from the stored dossier and the results of earlier steps.
    static func requestBody(for transfer: TransferRecord, routes: [RouteConfig], journal: any Journal) async throws -> [UInt8] {
        let (found, transfers) = try await journal.dossierWithTransfers(code: transfer.dossierCode, version: transfer.dossierVersion, payload: true)
        guard let dossier = found else {
            throw TemplateRenderError(problems: [.init(reference: transfer.dossierCode, message: "the dossier is not in the journal")])
        }
        let route = try routeStep(for: dossier.snapshot.procedureCode, transfer: transfer, routes: routes)
        let results = TransferSet(all: transfers).results
        return JSONWriter.bytes(try route.payload.render(dossier: dossier.snapshot.payload, stepResults: results))
    }

    /// The step's config, from the route of the dossier's procedure.
    private static func routeStep(for procedure: String, transfer: TransferRecord, routes: [RouteConfig]) throws -> StepConfig {
        let route = routes.first { $0.procedureCodes.contains(procedure) }
        guard let step = route?.steps.first(where: { $0.name == transfer.step }) else {
            throw TemplateRenderError(problems: [.init(reference: transfer.step, message: "the step is no longer in the configured route")])
        }
        return step
    }

    /// Asks the agency whether it has decided.
    private func followReceipt() async -> Report {
        guard let receipt = transfer.receipt else {
            return await settle(.fatal(reason: "accepted without a receipt to follow"), status: nil, durationMs: 0)
        }
        let answer = await client.send("GET", "/receipts/\(EndpointClient.percentEncode(receipt))")
        await answered()
        var report = Report(transfer: transfer, health: .neutral, requests: 1, retried: false, changed: false,
                            responseClass: Self.responseClass(answer))
        guard case .success(let response) = answer else {
            report.health = Self.isCancellation(answer) ? .neutral : .failing
            return report
        }
        if response.status == 404 {
            return await settle(.fatal(reason: "the agency no longer knows receipt \(receipt)"), status: 404, durationMs: 0)
        }
        guard response.status == 200, let body = try? response.json(), let status = body["status"]?.stringValue else {
            report.health = response.status >= 500 || response.status == 429 ? .failing : .neutral
            logger.warning("receipt follow-up failed; asking again later", LogContext(dossier: transfer.dossierCode, step: transfer.step,
                                                                                     agency: transfer.agency, httpStatus: response.status))
            return report
        }
        report.health = .healthy
        switch status {
        case "completed":
            guard let result = body["result"], case .object = result else {
                logger.warning("receipt decided without a result object; asking again later", context)
                return report
            }
            return await settle(.completed(receipt: receipt, result: result), status: 200, durationMs: 0, decisionOnly: true)
        case "rejected":
            return await settle(.rejected(reasons: body["reasons"]?.arrayValue ?? []), status: 200, durationMs: 0, decisionOnly: true)
        case "cancelled":
            var update = TransferUpdate(id: transfer.id, state: .cancelled, expectedState: .accepted)
            update.nextAttemptAt = .some(nil)
            return await commit(update, event: "accepted → cancelled at the agency", level: .notice, kind: .decision, report: report)
        default:
            return report
        }
    }

    /// Turns a classified answer into the transfer's next state, journals it with its event,
    /// and logs what an operator needs to know.
    private func settle(_ classification: ResponseClassification, status: Int?, durationMs: Int, decisionOnly: Bool = false) async -> Report {
        let now = Timestamp.now()
        var report = Report(transfer: transfer, health: .healthy, requests: 1, retried: false, changed: true,
                            responseClass: status.map { "\($0 / 100)xx" } ?? "error", durationMs: decisionOnly ? nil : durationMs)
        var update = TransferUpdate(id: transfer.id, state: transfer.state, expectedState: transfer.state)
        let message: String
        var level = LogLevel.info
        let kind: EventKind = decisionOnly ? .decision : .attempt
        switch classification {
        case .completed(let receipt, let result):
            update.state = .completed
            update.result = result
            update.receipt = receipt
            update.nextAttemptAt = .some(nil)
            update.lastError = .some(nil)
            message = "\(transfer.state.rawValue) → completed"
        case .accepted(let receipt):
            update.state = .accepted
            update.receipt = receipt
            update.nextAttemptAt = .some(now.adding(milliseconds: Int64(agency.receipts.intervalSeconds) * 1_000))
            update.lastError = .some(nil)
            message = "sending → accepted with receipt \(receipt); following the decision"
        case .rejected(let reasons):
            update.state = .rejected
            update.reasons = .array(reasons)
            update.nextAttemptAt = .some(nil)
            level = .notice
            message = "\(transfer.state.rawValue) → rejected by the agency: " + reasons.compactMap { $0["message"]?.stringValue }.joined(separator: "; ")
        case .technical(let reason, let retryAfterMs):
            report.health = .failing
            switch RetrySchedule(policy: agency.retry).next(attempts: transfer.attempts, firstAttemptAt: transfer.firstAttemptAt ?? now,
                                                          now: now, retryAfterMs: retryAfterMs) {
            case .retry(let at):
                update.state = .retrying
                update.nextAttemptAt = .some(at)
                update.lastError = .some(reason)
                report.retried = true
                message = "attempt \(transfer.attempts) failed (\(reason)); retrying at \(at)"
            case .dead(let why):
                update.state = .dead
                update.nextAttemptAt = .some(nil)
                update.lastError = .some("\(reason); \(why)")
                level = .error
                message = "sending → dead: \(reason); \(why)"
            }
        case .fatal(let reason):
            report.health = status == nil ? .neutral : .healthy
            update.state = .dead
            update.nextAttemptAt = .some(nil)
            update.lastError = .some(reason)
            level = .error
            message = "\(transfer.state.rawValue) → dead: \(reason)"
        case .handedBack:
            report.health = .neutral
            report.requests = 0
            update.state = .ready
            update.nextAttemptAt = .some(nil)
            message = "sending → ready: handed back at shutdown; it will be re-sent under the same key"
        }
        var detail: [String: JSONValue] = ["durationMs": .number(Double(durationMs))]
        if let status { detail["httpStatus"] = .number(Double(status)) }
        return await commit(update, event: message, level: level, kind: kind, report: report, detail: .object(detail), status: status, durationMs: durationMs)
    }

    private func commit(_ update: TransferUpdate, event message: String, level: LogLevel, kind: EventKind, report: Report,
                        detail: JSONValue? = nil, status: Int? = nil, durationMs: Int? = nil) async -> Report {
        var report = report
        var batch = JournalBatch()
        batch.transferUpdates = [update]
        batch.touchedDossiers = [transfer.dossierCode]
        batch.events = [NewEvent(level: level, kind: kind, dossierCode: transfer.dossierCode, dossierVersion: transfer.dossierVersion,
                                 step: transfer.step, agency: transfer.agency, transferID: transfer.id, message: message, detail: detail)]
        do {
            let result = try await journal.apply(batch)
            if result.staleUpdates.contains(transfer.id) {
                report.changed = false
                return report
            }
        } catch {
            logger.error("cannot journal a transfer's result; it will be re-sent under the same key", LogContext(
                dossier: transfer.dossierCode, step: transfer.step, agency: transfer.agency, extra: ["reason": .string(error.description)]))
            report.changed = false
            return report
        }
        var logContext = context
        logContext.httpStatus = status
        logContext.durationMs = durationMs
        logger.log(level == .info ? .debug : level, message, logContext)
        report.transfer.state = update.state
        if let result = update.result { report.transfer.result = result }
        return report
    }

    static func responseClass(_ answer: Result<HTTPResponse, HTTPClientError>) -> String {
        (try? answer.get()).map { "\($0.status / 100)xx" } ?? "error"
    }

    static func isCancellation(_ answer: Result<HTTPResponse, HTTPClientError>) -> Bool {
        if case .failure(let error) = answer { return error.kind == .cancelled }
        return false
    }
}
