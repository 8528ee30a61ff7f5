import Synchronization

/// Decides what a newly seen dossier version needs and journals it: its route's steps as
/// transfers, or a quarantine, a skip, a withdrawal. Steps an earlier version already took
/// to an agency are kept and flagged, never silently re-pushed. The planner sends nothing:
/// receipts to withdraw become cancellations that the dispatcher sends like any request.
final class Planner: Sendable {
    let journal: any Journal
    let logger: Logger
    let counters: SyncCounters
    /// Procedure codes already logged as unrouted, so each is logged once.
    private let unroutedLogged = Mutex<Set<String>>([])
    /// Asks the register what a lost journal had done; nil where there is no register.
    let recovery: RegisterRecovery?
    /// Whether the first adoption was logged: the operator hears once that the daemon is
    /// recovering from the register, and the run summary counts the steps.
    private let recoveringLogged = Mutex(false)

    init(journal: any Journal, logger: Logger, counters: SyncCounters, recovery: RegisterRecovery? = nil) {
        self.journal = journal
        self.logger = logger
        self.counters = counters
        self.recovery = recovery
    }

    /// Plans `snapshot` on `route` (`nil` when its procedure has none) and journals the plan,
    /// with its deadlines counted in `calendar`.
    func plan(_ snapshot: DossierSnapshot, route: RouteConfig?, calendar: WorkingCalendar = WorkingCalendar()) async {
        let context = LogContext(dossier: snapshot.code, extra: ["version": .number(Double(snapshot.version))])
        guard let route else {
            if unroutedLogged.withLock({ $0.insert(snapshot.procedureCode).inserted }) {
                logger.notice("no route for a procedure code; its dossiers are skipped", LogContext(extra: ["procedure": .string(snapshot.procedureCode)]))
            }
            counters.add { $0.dossiersNotRouted += 1 }
            _ = try? await journal.apply(Self.unrouted(snapshot))
            return
        }
        var earlier: [TransferRecord] = []
        // A first version has nothing earlier to look up.
        if snapshot.version > 1 {
            do {
                earlier = try await journal.transfers(TransferQuery(states: [], dossierCode: snapshot.code, limit: 1_000))
                    .filter { $0.dossierVersion < snapshot.version }
            } catch {
                logger.error("cannot read a dossier's transfers; it will be planned on the next poll", context)
                return
            }
        }
        var record: InterconnectionRecord?
        if let recovery, await recovery.applies(to: snapshot, earlier: earlier, journal: journal) {
            counters.add { $0.recordReads += 1 }
            let bytes: [UInt8]?
            do throws(RegisterError) {
                bytes = try await recovery.read(snapshot.code)
            } catch {
                // Pushing without it could repeat what a lost journal had done at an agency that
                // forgot its keys. An outage is told once, by the register's breaker.
                logger.log(error.code == .unavailable ? .debug : .warning, "cannot read the register's interconnection record; the dossier is planned on the next poll",
                           LogContext(dossier: snapshot.code, extra: ["reason": .string(error.description)]))
                return
            }
            if let bytes {
                do throws(InterconnectionRecordError) {
                    record = try InterconnectionRecord(parsing: bytes)
                } catch {
                    logger.warning("the register's interconnection record is unreadable; the dossier is planned without it",
                                   LogContext(dossier: snapshot.code, extra: ["reason": .string(error.description)]))
                }
            }
        }
        let changes = earlier.isEmpty ? [:] : await requestChanges(snapshot, route: route, earlier: earlier)
        var plan = Self.decide(snapshot, route: route, earlier: earlier, record: record, requestChanges: changes, now: .now())
        if plan.quarantined == nil, let deadlines = DossierDeadlines.plan(snapshot, route: route, calendar: calendar) {
            // Journaled with the plan; a later version keeps the first clock (see insertDeadline).
            plan.batch.deadlines = Self.arrivingLate(DeadlineRecord.rows(deadlines, code: snapshot.code, route: route), version: snapshot.version,
                                                     into: &plan.batch, now: .now())
        }
        if !plan.adopted.isEmpty {
            counters.add { $0.stepsAdopted += plan.adopted.count }
            if recoveringLogged.withLock({ logged in defer { logged = true }; return !logged }) {
                logger.warning("recovering from the register: steps its interconnection records show as done are adopted, not pushed again "
                               + "(a lost or restored journal?); each is an `adopted` event, and the run summary counts them",
                               LogContext(dossier: snapshot.code, extra: ["steps": .array(plan.adopted.map(JSONValue.string))]))
            }
        }
        if let problems = plan.quarantined {
            logger.warning("dossier quarantined: it lacks what its route needs", LogContext(dossier: snapshot.code,
                                                                                          extra: ["reasons": .array(problems.map(JSONValue.string))]))
            counters.add { $0.dossiersQuarantined += 1 }
        }
        if !plan.changedAfterSteps.isEmpty {
            logger.warning("dossier changed after steps reached an agency; flagged for review, not re-pushed",
                           LogContext(dossier: snapshot.code, extra: ["steps": .array(plan.changedAfterSteps.map(JSONValue.string))]))
        }
        do {
            try await journal.apply(plan.batch)
        } catch {
            logger.error("cannot journal a dossier's plan", LogContext(dossier: snapshot.code, extra: ["reason": .string(error.description)]))
        }
    }

    /// Deadlines already past when the dossier is first planned (a backlog at the first start,
    /// or a register that was down for days) are marked overdue at once, with an event each but
    /// no log line each: the watch tells only what goes overdue while Interlink holds it.
    static func arrivingLate(_ rows: [DeadlineRecord], version: Int, into batch: inout JournalBatch, now: Timestamp) -> [DeadlineRecord] {
        rows.map { row in
            guard row.dueAt <= now else { return row }
            var late = row
            late.overdueAt = now
            if row.step == nil {
                batch.events.append(NewEvent(level: .notice, kind: .deadline, dossierCode: row.dossierCode, dossierVersion: version,
                                             message: "dossier arrived past its deadline: due \(WorkingCalendar.describe(row.dueAt))",
                                             detail: ["due": .string(row.dueAt.description), "route": .string(row.route), "why": "arrived-late"]))
            }
            return late
        }
    }

    /// A dossier whose procedure has no route: skipped, with an outcome that says so.
    static func unrouted(_ snapshot: DossierSnapshot) -> JournalBatch {
        var batch = JournalBatch()
        batch.plannedDossiers = [DossierKey(code: snapshot.code, version: snapshot.version)]
        batch.outcomes = [OutcomeChange(dossierCode: snapshot.code, dossierVersion: snapshot.version, outcome: .notRouted)]
        batch.events = [NewEvent(level: .notice, kind: .dossierSkipped, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                 message: "no route for procedure \(snapshot.procedureCode); skipped")]
        return batch
    }
}
