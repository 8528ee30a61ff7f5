/// The data rows the audit chain covers: a transfer's result, a dossier's outcome and a
/// write-back's body. Every batch that changes one commits, in the same transaction, an event
/// carrying its content hash (`detail.content`), so rewriting a certificate number in
/// `transfers.result` or an outcome in `dossiers` is found by `audit verify`, which compares
/// the stored bytes with the latest hash the chain holds for them.
public enum ContentAudit: Sendable {
    static func transferKey(_ id: Int64) -> String { "transfer:\(id):result" }
    static func dossierKey(_ code: String, _ version: Int) -> String { "dossier:\(code):v\(version):outcome" }
    static func writeBackKey(_ code: String, _ target: WriteBackTarget) -> String { "writeback:\(code):\(target.rawValue)" }
    static func purgeKey(_ code: String, _ version: Int) -> String { "purged:\(code):v\(version)" }

    /// The hash of a stored text, as the chain records it; `null` for none.
    static func digest(_ stored: String?) -> String {
        stored.map { SHA256.hex(SHA256.hash(Array($0.utf8))) } ?? "null"
    }

    /// What `batch` changed, by key: the result text's hash, the outcome, the body's hash.
    static func hashes(_ batch: JournalBatch, result: JournalBatchResult, queued: [WriteBackRequest]) -> [String: JSONValue] {
        var hashes: [String: JSONValue] = [:]
        let stale = Set(result.staleUpdates)
        for update in batch.transferUpdates where !stale.contains(update.id) {
            if let value = update.result { hashes[transferKey(update.id)] = .string(digest(JSONWriter.string(value))) }
        }
        for (transfer, id) in zip(batch.newTransfers, result.transferIDs) {
            if let id, let value = transfer.result { hashes[transferKey(id)] = .string(digest(JSONWriter.string(value))) }
        }
        for change in batch.outcomes { hashes[dossierKey(change.dossierCode, change.dossierVersion)] = .string(change.outcome.rawValue) }
        for request in queued { hashes[writeBackKey(request.dossierCode, request.target)] = .string(digest(request.body)) }
        for key in batch.purges { hashes[purgeKey(key.code, key.version)] = true }
        return hashes
    }

    /// `events` with `hashes` in the last one's detail, or a `content` event when there is none.
    static func attach(_ hashes: [String: JSONValue], to events: [NewEvent]) -> [NewEvent] {
        guard !hashes.isEmpty else { return events }
        guard var last = events.last else {
            return [NewEvent(level: .debug, kind: .content, message: "content hashes", detail: ["content": .object(hashes)])]
        }
        switch last.detail {
        case .object(var members)?:
            members["content"] = .object(hashes)
            last.detail = .object(members)
        case nil, .null?:
            last.detail = ["content": .object(hashes)]
        case let other?:
            last.detail = ["detail": other, "content": .object(hashes)]
        }
        return events.dropLast() + [last]
    }
}
