/// What every journal backend does identically when it writes a batch, whatever its SQL.
///
/// A backend opens a write transaction and calls ``write(_:into:now:)`` with its
/// statements; the rules live here once: preconditions first, updates before inserts (a
/// replacement transfer is created only if the one it replaces was really cancelled),
/// events about stale updates dropped, write-back bodies keyed, events masked and chained,
/// and other daemons told there is new work.
enum BatchWriter {
    /// Applies `batch` through `statements`, inside the caller's transaction.
    static func write(_ batch: JournalBatch, into statements: some JournalStatements, now: Int64) throws(JournalError) -> JournalBatchResult {
        var result = JournalBatchResult()
        for condition in batch.preconditions where try !holds(condition, in: statements) {
            result.preconditionFailed = true
            return result
        }
        for instance in batch.instances { try statements.upsertInstance(instance) }
        for dossier in batch.dossiers {
            result.dossierInserted.append(try statements.insertDossier(dossier, seenAt: now))
        }
        if let cursor = batch.cursor { try statements.setCursor(cursor, at: now) }
        for update in batch.transferUpdates where try !statements.updateTransfer(update, at: now) {
            result.staleUpdates.append(update.id)
        }
        let stale = Set(result.staleUpdates)
        for transfer in batch.newTransfers {
            if let replaced = transfer.replaces, stale.contains(replaced) {
                result.transferIDs.append(nil)
                continue
            }
            result.transferIDs.append(try statements.insertTransfer(transfer, at: now))
        }
        for change in batch.outcomes { try statements.setOutcome(change, at: now) }
        for change in batch.flags { try statements.setFlags(change) }
        for key in batch.plannedDossiers { try statements.markPlanned(key) }
        for code in batch.touchedDossiers { try statements.touchDossier(code) }
        for mark in batch.reconciledDossiers { try statements.settleChanges(mark) }
        var queued: [WriteBackRequest] = []
        for request in batch.writeBacks where try queue(request, into: statements, now: now) { queued.append(request) }
        for update in batch.writeBackUpdates where try !statements.updateWriteBack(update, at: now) {
            result.staleWriteBackUpdates.append(update.dossierCode)
        }
        for key in batch.purges { try statements.erasePersonalData(key, at: now) }
        for row in batch.deadlines { try statements.insertDeadline(row) }
        for mark in batch.deadlineMarks { result.deadlineMarked.append(try statements.markDeadline(mark, at: now)) }
        var incidentEvents: [NewEvent] = []
        for change in batch.incidents {
            if let event = try IncidentWriter.apply(change, into: statements, now: now) { incidentEvents.append(event) }
        }
        // An event about a transfer or write-back change that did not happen (stale, or fenced
        // out after a takeover) would be false; drop it.
        let staleWriteBacks = Set(result.staleWriteBackUpdates)
        // An overdue event is true only where this batch marked the deadline: another daemon may have first.
        let markedBefore = Set(zip(batch.deadlineMarks, result.deadlineMarked).compactMap { mark, marked -> String? in
            guard case .overdue(let code, let step) = mark, !marked else { return nil }
            return code + "\u{0}" + (step ?? "")
        })
        let events = incidentEvents + batch.events.filter { event in
            guard event.kind != .deadline || !markedBefore.contains((event.dossierCode ?? "") + "\u{0}" + (event.step ?? "")) else { return false }
            return (event.transferID.map { !stale.contains($0) } ?? true)
                && !((event.kind == .writeBack || (event.kind == .replay && event.transferID == nil))
                     && event.dossierCode.map(staleWriteBacks.contains) == true)
        }
        try append(events, into: statements, content: ContentAudit.hashes(batch, result: result, queued: queued))
        for (key, value) in batch.metadata.sorted(by: { $0.key < $1.key }) {
            try statements.setMetadata(key, value)
        }
        if createsWork(batch) { try statements.notify(.work) }
        if !events.isEmpty { try statements.notify(.events) }
        return result
    }

    /// The dossiers whose rows `batch` changes or locks. A PostgreSQL writer locks all of
    /// its transaction's dossiers first, in one order, so writers of several daemons wait
    /// for each other there rather than deadlock midway.
    static func dossierLocks(_ batch: JournalBatch) -> Set<String> {
        var codes = Set(batch.touchedDossiers)
        codes.formUnion(batch.outcomes.map(\.dossierCode))
        codes.formUnion(batch.flags.map(\.dossierCode))
        codes.formUnion(batch.plannedDossiers.map(\.code))
        codes.formUnion(batch.reconciledDossiers.map(\.key.code))
        codes.formUnion(batch.purges.map(\.code))
        codes.formUnion(batch.writeBacks.map(\.dossierCode))
        for case .dossierUnchanged(let key, _, _) in batch.preconditions { codes.insert(key.code) }
        return codes
    }

    private static func holds(_ condition: BatchPrecondition, in statements: some JournalStatements) throws(JournalError) -> Bool {
        switch condition {
        case .dossierUnchanged(let key, let count, let outcome):
            try statements.dossierState(key).map { $0.pendingChanges == count && $0.outcome == outcome.rawValue } ?? false
        case .lease(let name, let holder, let token): try statements.lease(name).map { $0.holder == holder && $0.token == token } ?? false
        }
    }

    /// Whether other daemons should look for work now rather than at their next poll.
    private static func createsWork(_ batch: JournalBatch) -> Bool {
        !batch.newTransfers.isEmpty || !batch.writeBacks.isEmpty
            || batch.transferUpdates.contains { $0.owner == nil && ($0.state == .ready || $0.state == .cancelling) }
    }

    /// Queues a new body unless the same one is already queued or sent; a new body gets the
    /// next sequence, and its own key (derived from the body).
    /// Returns whether it stored a new body.
    private static func queue(_ request: WriteBackRequest, into statements: some JournalStatements, now: Int64) throws(JournalError) -> Bool {
        let current = try statements.currentWriteBack(dossierCode: request.dossierCode, target: request.target)
        if let current, current.body == request.body, current.dossierVersion == request.dossierVersion { return false }
        let sequence = (current?.sequence ?? 0) + 1
        let key = IdempotencyKeys.writeBack(dossierCode: request.dossierCode, version: request.dossierVersion, body: request.body, target: request.target)
        try statements.storeWriteBack(request, sequence: sequence, key: key, at: now)
        return true
    }

    /// Appends events to the one chain every writer of every process shares. Events are kept
    /// for good (the chain needs them), so they are masked first and hold no personal data.
    /// The content hashes go in after masking: a hash is no personal data, and masking must not touch it.
    private static func append(_ events: [NewEvent], into statements: some JournalStatements, content: [String: JSONValue]) throws(JournalError) {
        let masked = events.map { original in
            var event = original
            event.message = PersonalDataMasker.mask(event.message, about: event.dossierCode)
            event.detail = event.detail.map { PersonalDataMasker.mask($0, about: event.dossierCode) }
            return event
        }
        let chained = ContentAudit.attach(content, to: masked)
        guard !chained.isEmpty else { return }
        try statements.appendEvents(chained)
    }
}
