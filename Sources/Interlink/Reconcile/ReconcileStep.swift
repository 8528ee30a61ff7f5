/// Brings a dossier up to date after any of its transfers changed: unblocks steps whose
/// needs are met, withdraws what a withdrawn dossier still has at agencies, works out the
/// outcome, and queues a write-back when it changed. The engine serialises calls per dossier.
struct ReconcileStep: Sendable {
    let journal: any Journal
    let logger: Logger
    let counters: SyncCounters

    /// What a reconciliation changed, for the engine to act on.
    struct Result: Sendable, Equatable {
        /// A transfer became due (a step unblocked, a cancellation to send).
        var transfersChanged = false
        /// A new write-back body was queued.
        var writeBackQueued = false
    }

    /// Reconciles dossier `code` on its route in `config`. A journal failure leaves the
    /// dossier's changes pending, so the next recovery pass reconciles it again: nothing is
    /// assessed from data that could not be read. When another node reconciled or changed
    /// the dossier between the reading and the writing, nothing is written and it is read again.
    func run(_ code: String, config: InterlinkConfig) async -> Result {
        for _ in 0..<Self.maxRereads {
            if let result = await once(code, config: config) { return result }
        }
        logger.warning("a dossier kept changing while it was reconciled; it is reconciled on the next pass", LogContext(dossier: code))
        return Result()
    }

    /// Enough for every node sharing the journal to have had its turn.
    static let maxRereads = 8

    /// One reading and writing; nil when the dossier changed in between.
    private func once(_ code: String, config: InterlinkConfig) async -> Result? {
        let found: (dossier: DossierRecord?, transfers: [TransferRecord])
        do {
            // The portal's dossier sync carries the dossier itself: read it only when reports are configured.
            found = try await journal.dossierWithTransfers(code: code, version: nil, payload: config.progressReports != nil)
        } catch {
            logger.error("cannot read a dossier to reconcile it; it is reconciled on the next pass", LogContext(dossier: code, extra: ["reason": .string(error.description)]))
            return Result()
        }
        guard var dossier = found.dossier else { return Result() }
        var batch = JournalBatch()
        batch.preconditions = [.dossierUnchanged(DossierKey(code: code, version: dossier.snapshot.version), pendingChanges: dossier.pendingChanges,
                                                 outcome: dossier.outcome)]
        if dossier.pendingChanges > 0 || dossier.snapshot.version > 1 {
            batch.reconciledDossiers = [ReconciledMark(key: DossierKey(code: code, version: dossier.snapshot.version), changesSeen: dossier.pendingChanges)]
        }
        guard let route = config.route(forProcedure: dossier.snapshot.procedureCode) else {
            // Routed no more (a reload removed it): nothing to reconcile.
            return (try? await journal.apply(batch))?.preconditionFailed == true ? nil : Result()
        }
        let effective = TransferSet(all: found.transfers).effective
        if dossier.flags.cancelled {
            Withdrawal.withdrawAll(effective, now: .now(), into: &batch)
        } else {
            for step in route.steps {
                guard let transfer = effective[step.name], transfer.state == .waiting, StepReadiness.isReady(step, effective: effective) else { continue }
                batch.transferUpdates.append(TransferUpdate(id: transfer.id, state: .ready, expectedState: .waiting))
                batch.events.append(NewEvent(kind: .transferState, dossierCode: code, dossierVersion: transfer.dossierVersion, step: step.name,
                                             agency: step.agency, transferID: transfer.id,
                                             message: "waiting → ready: \(step.needs.joined(separator: ", ")) completed"))
            }
        }
        // The checks read the dossier only once every step is done; parse its payload only then.
        if route.steps.allSatisfy({ effective[$0.name]?.state == .completed }), !route.checks.isEmpty {
            do {
                guard let full = try await journal.dossier(code: code, version: dossier.snapshot.version) else { return Result() }
                dossier = full
            } catch {
                logger.error("cannot read a dossier for its checks; it is reconciled on the next pass",
                             LogContext(dossier: code, extra: ["reason": .string(error.description)]))
                return Result()
            }
        }
        let assessment = Reconciler.assess(route: route, dossier: dossier.snapshot.payload, transfers: effective, flags: dossier.flags)
        // The write-back carries the deadlines; it is built only when the outcome changes.
        let deadlines = assessment.outcome == dossier.outcome ? [] : ((try? await journal.deadlines(dossierCode: code)) ?? [])
        record(assessment, of: dossier, route: route, transfers: effective, deadlines: deadlines, progress: config.progressReports, into: &batch)
        guard !batch.isEmpty else { return Result() }
        do {
            if try await journal.apply(batch).preconditionFailed { return nil }
        } catch {
            logger.error("cannot journal a dossier's reconciliation", LogContext(dossier: code, extra: ["reason": .string(error.description)]))
            return Result()
        }
        return Result(transfersChanged: !batch.transferUpdates.isEmpty, writeBackQueued: !batch.writeBacks.isEmpty)
    }

    /// Adds the outcome, its events and the write-back when the assessment changed anything.
    private func record(_ assessment: DossierAssessment, of dossier: DossierRecord, route: RouteConfig, transfers: [String: TransferRecord],
                        deadlines: [DeadlineRecord], progress: ProgressReportConfig?, into batch: inout JournalBatch) {
        let code = dossier.snapshot.code, version = dossier.snapshot.version
        let reasons = assessment.reasonsJSON
        guard assessment.outcome != dossier.outcome || reasons != dossier.reasons else { return }
        batch.outcomes = [OutcomeChange(dossierCode: code, dossierVersion: version, outcome: assessment.outcome, reasons: reasons)]
        let level: LogLevel = assessment.outcome == .completed || assessment.outcome == .inProgress ? .info : .notice
        batch.events.append(NewEvent(level: level, kind: .outcome, dossierCode: code, dossierVersion: version,
                                     message: "outcome \(dossier.outcome.rawValue) → \(assessment.outcome.rawValue)", detail: reasons))
        for discrepancy in assessment.discrepancies where assessment.outcome == .needsReview && dossier.outcome != .needsReview {
            batch.events.append(NewEvent(level: .warning, kind: .discrepancy, dossierCode: code, dossierVersion: version,
                                         message: "discrepancy: \(discrepancy.left) differs from \(discrepancy.right) (check \(discrepancy.check))",
                                         detail: discrepancy.json))
            counters.add { $0.discrepancies += 1 }
            logger.warning("discrepancy between agency results; the dossier needs review", LogContext(dossier: code, extra: ["check": .string(discrepancy.check)]))
        }
        guard assessment.outcome != dossier.outcome else { return }
        if let body = WriteBackBody.make(route: route, version: version, assessment: assessment, transfers: transfers, deadlines: deadlines, at: .now()) {
            let register = WriteBackRequest(dossierCode: code, dossierVersion: version, outcome: assessment.outcome, body: body)
            batch.writeBacks = [register]
            if let progress {
                let (reports, problems) = ProgressReports.requests(for: register, dossier: dossier.snapshot.payload, settings: progress)
                batch.writeBacks += reports
                if !problems.isEmpty {
                    batch.events.append(NewEvent(level: .error, kind: .writeBack, dossierCode: code, dossierVersion: version,
                                                 message: "no progress report for the portal: " + problems.joined(separator: "; ")))
                    logger.error("a progress report cannot be built; fix progressReports and reload", LogContext(dossier: code))
                }
            }
        }
        if assessment.outcome != .inProgress {
            logger.info("dossier outcome \(assessment.outcome.rawValue)", LogContext(dossier: code))
        }
    }
}
