/// What every journal backend does identically when it writes a batch, whatever its SQL.
///
/// A backend opens a write transaction and calls ``write(_:into:now:)`` with its
/// statements; the rules live here once: updates before inserts (a replacement transfer is
/// created only if the one it replaces was really cancelled), events about stale updates
/// dropped, write-back bodies keyed, events masked and chained.
enum BatchWriter {
    /// Applies `batch` through `statements`, inside the caller's transaction.
    static func write(_ batch: JournalBatch, into statements: some JournalStatements, now: Int64) throws(JournalError) -> JournalBatchResult {
        var result = JournalBatchResult()
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
        for request in batch.writeBacks { try queue(request, into: statements, now: now) }
        for update in batch.writeBackUpdates { try statements.updateWriteBack(update, at: now) }
        for key in batch.purges { try statements.erasePersonalData(key, at: now) }
        // An event about a transfer change that did not happen (stale) would be false; drop it.
        try append(batch.events.filter { $0.transferID.map { !stale.contains($0) } ?? true }, into: statements)
        for (key, value) in batch.metadata.sorted(by: { $0.key < $1.key }) {
            try statements.setMetadata(key, value)
        }
        return result
    }

    /// Queues a new body unless the same one is already queued or sent; a new body gets the
    /// next sequence and so a new idempotency key.
    private static func queue(_ request: WriteBackRequest, into statements: some JournalStatements, now: Int64) throws(JournalError) {
        let current = try statements.currentWriteBack(dossierCode: request.dossierCode)
        if let current, current.body == request.body, current.dossierVersion == request.dossierVersion { return }
        let sequence = (current?.sequence ?? 0) + 1
        let key = IdempotencyKeys.writeBack(dossierCode: request.dossierCode, version: request.dossierVersion, sequence: sequence)
        try statements.storeWriteBack(request, sequence: sequence, key: key, at: now)
    }

    /// Appends events after the chain's tip, read inside the transaction so another process
    /// appending (interlinkctl) stays in the same chain. Events are kept for good (the chain
    /// needs them), so they are masked first and hold no personal data.
    private static func append(_ events: [NewEvent], into statements: some JournalStatements) throws(JournalError) {
        guard !events.isEmpty else { return }
        var tip = try statements.chainTip()
        for original in events {
            var event = original
            event.message = PersonalDataMasker.mask(event.message)
            event.detail = event.detail.map(PersonalDataMasker.mask)
            tip = AuditChain.next(after: tip, event: event)
            try statements.appendEvent(event, sequence: tip.sequence, hash: tip.hash)
        }
    }
}
