/// Incidents the engine opens and closes: an agency's circuit, a run of dead transfers, and a
/// queue that makes no progress. The journal keeps one open incident per service and kind for
/// every daemon sharing it, and journals the opening and the closing once each.
extension SyncEngine {
    /// The circuit's transition as an incident change: opened, a failed probe, or closed.
    static func incident(for transition: CircuitBreaker.Transition?, agency: String, error: String?) -> IncidentChange? {
        switch transition {
        case .opened?: .open(service: agency, kind: .circuitOpen, error: error ?? "technical failures in a row")
        case .reopened?: .failure(service: agency, kind: .circuitOpen, error: error ?? "the half-open probe failed")
        case .closed?: .close(service: agency, kind: .circuitOpen)
        case nil: nil
        }
    }

    /// Counts dead transfers in a row per agency: at `deadTransfersInARow` an incident opens; a
    /// transfer the agency takes (completed, accepted, rejected) closes it.
    func noteDeadRun(_ report: TransferJob.Report) async {
        guard report.changed else { return }
        let agency = report.transfer.agency
        var change: IncidentChange?
        switch report.transfer.state {
        case .dead:
            deadRuns[agency, default: 0] += 1
            let run = deadRuns[agency, default: 0], threshold = config.deadlines.deadTransfersInARow
            let error = report.transfer.lastError ?? "gave up after its retries"
            change = run == threshold ? .open(service: agency, kind: .deadTransfers, error: "\(run) transfers dead in a row; the last: \(error)")
                : run > threshold ? .failure(service: agency, kind: .deadTransfers, error: error) : nil
        case .completed, .accepted, .rejected:
            if deadRuns[agency, default: 0] >= config.deadlines.deadTransfersInARow { change = .close(service: agency, kind: .deadTransfers) }
            deadRuns[agency] = 0
        default:
            return
        }
        guard let change else { return }
        var batch = JournalBatch()
        batch.incidents = [change]
        _ = try? await journal.apply(batch)
    }

    /// Every `deadlines.checkSeconds`: opens an incident for each agency whose queue stalled,
    /// and closes those whose queue moves again.
    func checkStalledQueuesIfDue() async {
        let now = Timestamp.now()
        guard now.millisecondsSinceEpoch - lastStallCheck.millisecondsSinceEpoch >= Int64(config.deadlines.checkSeconds) * 1_000 else { return }
        lastStallCheck = now
        guard let counts = try? await journal.transferCounts(),
              let open = try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 1_000) else { return }
        let outages = Set(open.filter { $0.kind == .circuitOpen }.map(\.service))
        let stalled = StalledQueues.stalled(counts, now: now, thresholdSeconds: config.deadlines.stalledSeconds, outages: outages)
        let openStalls = Set(open.filter { $0.kind == .stalledQueue }.map(\.service))
        var batch = JournalBatch()
        for agency in stalled.subtracting(openStalls).sorted() {
            batch.incidents.append(.open(service: agency, kind: .stalledQueue,
                                         error: "work has waited since \(counts.oldestPending[agency].map(WorkingCalendar.describe) ?? "?") and none completed"))
        }
        for agency in openStalls.subtracting(stalled).sorted() { batch.incidents.append(.close(service: agency, kind: .stalledQueue)) }
        if !batch.isEmpty { _ = try? await journal.apply(batch) }
    }
}
