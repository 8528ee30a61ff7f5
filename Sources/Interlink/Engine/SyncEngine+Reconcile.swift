extension SyncEngine {
    /// Brings a dossier up to date after any of its transfers changed: unblocks steps whose
    /// needs are met, works out the outcome, and queues a write-back when it changed.
    /// Calls for the same dossier are serialised and coalesced, so a stale assessment can
    /// never overwrite a fresh one.
    func reconcile(_ code: String) async {
        // A plan in progress reconciles the dossier itself when it is done.
        guard !planning.contains(code), reconciling.insert(code).inserted else {
            reconcileAgain.insert(code)
            return
        }
        repeat {
            reconcileAgain.remove(code)
            await reconcileOnce(code)
        } while reconcileAgain.contains(code)
        reconciling.remove(code)
    }

    private func reconcileOnce(_ code: String) async {
        guard let (found, all) = try? await journal.dossierWithTransfers(code: code, version: nil, payload: false),
              var dossier = found else { return }
        var batch = JournalBatch()
        if dossier.pendingChanges > 0 || dossier.snapshot.version > 1 {
            batch.reconciledDossiers = [ReconciledMark(key: DossierKey(code: code, version: dossier.snapshot.version),
                                                       changesSeen: dossier.pendingChanges)]
        }
        guard let route = config.route(forProcedure: dossier.snapshot.procedureCode) else {
            _ = try? await journal.apply(batch)  // routed no more (a reload removed it): nothing to reconcile
            return
        }
        let effective = TransferSet(all: all).effective
        for step in route.steps {
            guard let transfer = effective[step.name], transfer.state == .waiting,
                  step.needs.allSatisfy({ effective[$0]?.state == .completed }) else { continue }
            batch.transferUpdates.append(TransferUpdate(id: transfer.id, state: .ready, expectedState: .waiting))
            batch.events.append(NewEvent(kind: .transferState, dossierCode: code, dossierVersion: transfer.dossierVersion, step: step.name,
                                         agency: step.agency, transferID: transfer.id,
                                         message: "waiting → ready: \(step.needs.joined(separator: ", ")) completed"))
        }
        // The checks read the dossier only once every step is done; parse its payload only then.
        if route.steps.allSatisfy({ effective[$0.name]?.state == .completed }), !route.checks.isEmpty,
           let full = try? await journal.dossier(code: code, version: dossier.snapshot.version) {
            dossier = full
        }
        let assessment = Reconciler.assess(route: route, dossier: dossier.snapshot.payload, transfers: effective, flags: dossier.flags)
        let reasons = assessment.reasonsJSON
        if assessment.outcome != dossier.outcome || reasons != dossier.reasons {
            batch.outcomes = [OutcomeChange(dossierCode: code, dossierVersion: dossier.snapshot.version, outcome: assessment.outcome, reasons: reasons)]
            let level: LogLevel = assessment.outcome == .completed || assessment.outcome == .inProgress ? .info : .notice
            batch.events.append(NewEvent(level: level, kind: .outcome, dossierCode: code, dossierVersion: dossier.snapshot.version,
                                         message: "outcome \(dossier.outcome.rawValue) → \(assessment.outcome.rawValue)", detail: reasons))
            for discrepancy in assessment.discrepancies where assessment.outcome == .needsReview && dossier.outcome != .needsReview {
                batch.events.append(NewEvent(level: .warning, kind: .discrepancy, dossierCode: code, dossierVersion: dossier.snapshot.version,
                                             message: "discrepancy: \(discrepancy.left) differs from \(discrepancy.right) (check \(discrepancy.check))",
                                             detail: discrepancy.json))
                count { $0.discrepancies += 1 }
                logger.warning("discrepancy between agency results; the dossier needs review",
                               LogContext(dossier: code, extra: ["check": .string(discrepancy.check)]))
            }
            if assessment.outcome != dossier.outcome,
               let body = WriteBackBody.make(route: route, version: dossier.snapshot.version, assessment: assessment,
                                             transfers: effective, at: .now()) {
                batch.writeBacks = [WriteBackRequest(dossierCode: code, dossierVersion: dossier.snapshot.version,
                                                     outcome: assessment.outcome, body: body)]
            }
            if assessment.outcome != dossier.outcome, assessment.outcome != .inProgress {
                logger.info("dossier outcome \(assessment.outcome.rawValue)", LogContext(dossier: code))
            }
        }
        guard !batch.isEmpty else { return }
        do {
            try await journal.apply(batch)
        } catch {
            logger.error("cannot journal a dossier's reconciliation", LogContext(dossier: code, extra: ["reason": .string(error.description)]))
        }
        if !batch.writeBacks.isEmpty { writeBacksQueued = true }
        if !batch.transferUpdates.isEmpty || !batch.writeBacks.isEmpty { wake.signal() }
    }
}
