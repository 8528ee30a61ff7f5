/// A dossier version's plan, before it is journaled.
struct Plan: Sendable {
    /// Everything the plan changes, committed together; it marks the version planned, so a
    /// crash before it leaves the dossier for recovery to plan again.
    var batch = JournalBatch()
    /// Why the dossier was quarantined before any push, when it was.
    var quarantined: [String]?
    /// Steps an earlier version took to an agency, kept and flagged rather than re-pushed.
    var changedAfterSteps: [String] = []
    /// Steps adopted from the register's interconnection record.
    var adopted: [String] = []
}

extension Planner {
    /// The plan for `snapshot` on `route`, given the transfers of its earlier versions and,
    /// when the journal never saw the dossier, what the register's record says was done. Pure.
    ///
    /// `requestChanges` says, for steps an earlier version took to an agency, how their request
    /// would now differ: a step whose request is unchanged is kept and not flagged, so the new
    /// version completes; one that differs, or could not be compared, is flagged for review.
    static func decide(_ snapshot: DossierSnapshot, route: RouteConfig, earlier: [TransferRecord], record: InterconnectionRecord? = nil,
                       requestChanges: [String: [JSONValue]] = [:], now: Timestamp) -> Plan {
        var plan = Plan()
        plan.batch.plannedDossiers = [DossierKey(code: snapshot.code, version: snapshot.version)]
        plan.batch.touchedDossiers = [snapshot.code]
        let effective = TransferSet(all: earlier).effective
        var flags = DossierFlags()
        plan.batch.events.append(NewEvent(kind: .dossierSeen, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                          message: "dossier version \(snapshot.version) seen (procedure \(snapshot.procedureCode), route \(route.name))"))
        if snapshot.version > 1, !earlier.isEmpty {
            plan.batch.events.append(NewEvent(level: .notice, kind: .dossierVersionChanged, dossierCode: snapshot.code,
                                              dossierVersion: snapshot.version, message: "a new version of the dossier arrived"))
        }
        func finished(_ flags: DossierFlags) -> Plan {
            plan.batch.flags = [FlagsChange(dossierCode: snapshot.code, dossierVersion: snapshot.version, flags: flags)]
            return plan
        }

        if snapshot.status == "cancelled" {
            flags.cancelled = true
            Withdrawal.withdrawAll(effective, now: now, into: &plan.batch)
            return finished(flags)
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
            case .accepted, .completed, .sending, .retrying, .cancelling:
                if let changes = requestChanges[step.name] {
                    guard !changes.isEmpty else { continue }  // the agency holds the same request
                    flags.requestChanges[step.name] = changes
                }
                flags.changedAfterSteps.append(step.name)
            case .waiting, .ready, .rejected, .dead, .cancelled:
                if !old.state.isFinal {
                    var cancel = TransferUpdate(id: old.id, state: .cancelled, expectedState: old.state)
                    cancel.nextAttemptAt = .some(nil)
                    plan.batch.transferUpdates.append(cancel)
                    replaced[step.name] = old.id
                }
                startOver.append(step)
            }
        }
        plan.changedAfterSteps = flags.changedAfterSteps

        let problems = precheck(startOver, dossier: snapshot.payload)
        guard problems.isEmpty else {
            flags.quarantineReasons = problems
            plan.quarantined = problems
            plan.batch.events.append(NewEvent(level: .warning, kind: .dossierQuarantined, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                              message: "quarantined before any push: " + problems.joined(separator: "; ")))
            return finished(flags)
        }
        let adopted = record?.done.filter { name, _ in startOver.contains { $0.name == name } } ?? [:]
        let redoing = Set(startOver.map(\.name))
        let adoptedCompleted = Set(adopted.filter { $0.value.state == .completed }.keys)
        for step in startOver {
            // Ready at once only when every step it needs was completed, by an earlier
            // version or (as the register's record says) by a journal since lost.
            let ready = StepReadiness.isReady(step, effective: effective, redoing: redoing, completed: adoptedCompleted)
            var transfer = NewTransfer(
                dossierCode: snapshot.code, dossierVersion: snapshot.version, step: step.name, agency: step.agency,
                operation: (try? step.path.fill(document: snapshot.payload).get()) ?? step.operation, state: ready ? .ready : .waiting, idempotencyKey: IdempotencyKeys.transfer(dossierCode: snapshot.code, version: snapshot.version, step: step.name))
            transfer.replaces = replaced[step.name]
            if let done = adopted[step.name] {
                transfer.state = done.state
                transfer.receipt = done.reference
                transfer.result = done.result
                transfer.nextAttemptAt = done.state == .accepted ? now : nil
                plan.adopted.append(step.name)
                plan.batch.events.append(NewEvent(level: .notice, kind: .adopted, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                                  step: step.name, agency: step.agency,
                                                  message: "\(done.state.rawValue) according to the register's interconnection record"
                                                      + (record?.dossierVersion.map { " (written for version \($0))" } ?? "")
                                                      + ": adopted, not pushed again",
                                                  detail: done.reference.map { ["reference": .string($0)] }))
            }
            plan.batch.newTransfers.append(transfer)
        }
        return finished(flags)
    }

    /// Everything the steps' templates read from the dossier that is missing, ill-typed or
    /// cannot be transformed (a date in the wrong format), and every path value missing.
    static func precheck(_ steps: [StepConfig], dossier: JSONValue) -> [String] {
        var problems: [String] = []
        for step in steps {
            // Step results are not known yet: the preview stands them in, so only the dossier's problems remain.
            problems += step.payload.preview(dossier: dossier, stepResults: [:]).problems.map(\.description)
            // The operation's path takes values from the dossier too: one missing cannot be sent anywhere.
            if case .failure(let problem) = step.path.fill(document: dossier) { problems.append("\(problem) (the path of step \(step.name))") }
        }
        return Array(Set(problems)).sorted()
    }
}
