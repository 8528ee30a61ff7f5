extension SyncEngine {
    /// Decides what a newly seen dossier version needs: its route's steps as transfers,
    /// or a quarantine, a skip, a cancellation. Steps an earlier version already took to an
    /// agency are kept and flagged, never silently re-pushed.
    func plan(_ snapshot: DossierSnapshot) async {
        planning.insert(snapshot.code)
        await planLocked(snapshot)
        planning.remove(snapshot.code)
        await reconcile(snapshot.code)
        wake.signal()
    }

    private func planLocked(_ snapshot: DossierSnapshot) async {
        let status = snapshot.payload["status"]?.stringValue
        let context = LogContext(dossier: snapshot.code, extra: ["version": .number(Double(snapshot.version))])
        var batch = JournalBatch()
        // Committed with the plan, so a crash before it leaves the dossier for recovery to plan.
        batch.plannedDossiers = [DossierKey(code: snapshot.code, version: snapshot.version)]
        batch.touchedDossiers = [snapshot.code]
        guard let route = config.route(forProcedure: snapshot.procedureCode) else {
            batch.outcomes = [OutcomeChange(dossierCode: snapshot.code, dossierVersion: snapshot.version, outcome: .notRouted)]
            batch.touchedDossiers = []
            batch.events = [NewEvent(level: .notice, kind: .dossierSkipped, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                     message: "no route for procedure \(snapshot.procedureCode); skipped")]
            if notRoutedLogged.insert(snapshot.procedureCode).inserted {
                logger.notice("no route for a procedure code; its dossiers are skipped", LogContext(extra: ["procedure": .string(snapshot.procedureCode)]))
            }
            count { $0.dossiersNotRouted += 1 }
            _ = try? await journal.apply(batch)
            return
        }
        var earlier: [TransferRecord] = []
        do {
            // A first version has nothing earlier to look up.
            if snapshot.version > 1 {
                earlier = try await journal.transfers(TransferQuery(states: [], dossierCode: snapshot.code, limit: 1_000))
                    .filter { $0.dossierVersion < snapshot.version }
            }
        } catch {
            logger.error("cannot read a dossier's transfers; it will be planned on the next poll", context)
            return
        }
        let effective = TransferSet(all: earlier).effective
        var flags = DossierFlags()
        batch.events.append(NewEvent(kind: .dossierSeen, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                     message: "dossier version \(snapshot.version) seen (procedure \(snapshot.procedureCode), route \(route.name))"))
        if snapshot.version > 1, !earlier.isEmpty {
            batch.events.append(NewEvent(level: .notice, kind: .dossierVersionChanged, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                         message: "a new version of the dossier arrived"))
        }

        if status == "cancelled" {
            flags.cancelled = true
            await cancelUndecided(effective.values.filter { !$0.state.isFinal }, into: &batch)
            batch.flags = [FlagsChange(dossierCode: snapshot.code, dossierVersion: snapshot.version, flags: flags)]
            _ = try? await journal.apply(batch)
            return
        }

        // Steps an earlier version took to an agency stay as they are; the others start over.
        var startOver: [StepConfig] = []
        var replaced: [String: Int64] = [:]
        for step in route.steps {
            guard let old = effective[step.name] else {
                startOver.append(step)
                continue
            }
            switch old.state {
            case .accepted, .completed, .sending, .retrying:
                flags.changedAfterSteps.append(step.name)
            case .waiting, .ready, .rejected, .dead, .cancelled:
                if !old.state.isFinal {
                    batch.transferUpdates.append(Self.cancelUpdate(old))
                    replaced[step.name] = old.id
                }
                startOver.append(step)
            }
        }

        let problems = Self.precheck(startOver, dossier: snapshot.payload)
        if !problems.isEmpty {
            flags.quarantineReasons = problems
            batch.events.append(NewEvent(level: .warning, kind: .dossierQuarantined, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                         message: "quarantined before any push: " + problems.joined(separator: "; ")))
            logger.warning("dossier quarantined: it lacks what its route needs", LogContext(dossier: snapshot.code,
                                                                                          extra: ["reasons": .array(problems.map(JSONValue.string))]))
            count { $0.dossiersQuarantined += 1 }
        } else {
            for step in startOver {
                // Ready at once only when every step it needs was completed by an earlier version.
                let ready = step.needs.allSatisfy { need in
                    effective[need]?.state == .completed && !startOver.contains { $0.name == need }
                }
                var transfer = NewTransfer(
                    dossierCode: snapshot.code, dossierVersion: snapshot.version, step: step.name, agency: step.agency,
                    operation: step.operation, state: ready ? .ready : .waiting,
                    idempotencyKey: IdempotencyKeys.transfer(dossierCode: snapshot.code, version: snapshot.version, step: step.name))
                transfer.replaces = replaced[step.name]
                batch.newTransfers.append(transfer)
            }
        }
        if !flags.changedAfterSteps.isEmpty {
            logger.warning("dossier changed after steps reached an agency; flagged for review, not re-pushed",
                           LogContext(dossier: snapshot.code, extra: ["steps": .array(flags.changedAfterSteps.map(JSONValue.string))]))
        }
        batch.flags = [FlagsChange(dossierCode: snapshot.code, dossierVersion: snapshot.version, flags: flags)]
        do {
            try await journal.apply(batch)
        } catch {
            logger.error("cannot journal a dossier's plan", LogContext(dossier: snapshot.code, extra: ["reason": .string(error.description)]))
        }
    }

    /// Everything the steps' templates read from the dossier that is missing or ill-typed.
    static func precheck(_ steps: [StepConfig], dossier: JSONValue) -> [String] {
        var problems: [String] = []
        for step in steps {
            for (reference, optional) in step.payload.dossierReferences {
                let value = reference.pointer.resolve(in: dossier)
                if value == nil || value == .null {
                    if !optional { problems.append("\(reference): missing") }
                } else if let expected = reference.expectedType, !expected.accepts(value!) {
                    problems.append("\(reference): expected \(expected.rawValue), found \(value!.typeName)")
                }
            }
        }
        return Array(Set(problems)).sorted()
    }

    static func cancelUpdate(_ transfer: TransferRecord) -> TransferUpdate {
        var update = TransferUpdate(id: transfer.id, state: .cancelled, expectedState: transfer.state)
        update.nextAttemptAt = .some(nil)
        return update
    }

    /// Cancels transfers of a withdrawn dossier; undecided receipts are withdrawn at the agency.
    private func cancelUndecided(_ transfers: [TransferRecord], into batch: inout JournalBatch) async {
        for transfer in transfers {
            if transfer.state == .accepted, let receipt = transfer.receipt, let agency = agencies[transfer.agency] {
                let answer = await agency.send("POST", "/receipts/\(EndpointClient.percentEncode(receipt))/cancel", body: Array("{}".utf8),
                                               idempotencyKey: IdempotencyKeys.cancellation(transfer.idempotencyKey))
                let status = (try? answer.get())?.status
                batch.events.append(NewEvent(level: .notice, kind: .transferState, dossierCode: transfer.dossierCode,
                                             dossierVersion: transfer.dossierVersion, step: transfer.step, agency: transfer.agency,
                                             transferID: transfer.id, message: "asked the agency to cancel receipt \(receipt)",
                                             detail: ["httpStatus": status.map { .number(Double($0)) } ?? .null]))
                if status == 409 { continue }  // already decided: the decision stands and is followed up
            }
            guard transfer.state != .sending, inFlightTransfers[transfer.id] == nil else { continue }
            batch.transferUpdates.append(Self.cancelUpdate(transfer))
            batch.events.append(NewEvent(level: .notice, kind: .transferState, dossierCode: transfer.dossierCode,
                                         dossierVersion: transfer.dossierVersion, step: transfer.step, agency: transfer.agency,
                                         transferID: transfer.id, message: "\(transfer.state.rawValue) → cancelled: the dossier was withdrawn"))
        }
    }
}
