/// The hash chain over the append-only events: each event's hash is SHA-256 of the previous
/// event's hash followed by the event's canonical bytes (sequence number included), so
/// altering, deleting or inserting any one event breaks every hash after it.
///
/// Every backend chains through ``next(after:event:)`` when it appends and is verified by
/// ``verify(_:recordedTip:pageSize:)`` through the ``Journal`` protocol, so the rules exist once.
public enum AuditChain: Sendable {
    /// A position in the chain: an event's sequence number and its hash.
    public struct Link: Sendable, Hashable {
        /// The event's sequence number; 0 before the first event.
        public let sequence: Int64
        /// The event's chain hash; 32 zero bytes before the first event.
        public let hash: [UInt8]

        /// The link of event `sequence`.
        public init(sequence: Int64, hash: [UInt8]) {
            self.sequence = sequence
            self.hash = hash
        }

        /// Where an empty chain starts.
        public static let origin = Link(sequence: 0, hash: SHA256.zero)
    }

    /// The link after `previous` for appending `event` (already masked).
    static func next(after previous: Link, event: NewEvent) -> Link {
        link(after: previous, entry: AuditEntry(sequence: previous.sequence + 1, event: event, hash: nil))
    }

    /// The link `entry` should have after `previous`.
    static func link(after previous: Link, entry: AuditEntry) -> Link {
        Link(sequence: entry.sequence, hash: SHA256.hash(previous.hash + canonicalBytes(entry)))
    }

    /// The canonical serialisation that is hashed: a JSON array with sorted object keys, built
    /// from the stored text of each field, so a value the decoder would read differently
    /// (an unknown level, say) still breaks the chain.
    static func canonicalBytes(_ entry: AuditEntry) -> [UInt8] {
        JSONWriter.bytes([
            .number(Double(entry.sequence)), .number(Double(entry.at)), .string(entry.level), .string(entry.kind),
            entry.dossierCode.map(JSONValue.string) ?? .null, entry.dossierVersion.map { .number(Double($0)) } ?? .null,
            entry.step.map(JSONValue.string) ?? .null, entry.agency.map(JSONValue.string) ?? .null,
            entry.transferID.map { .number(Double($0)) } ?? .null, .string(entry.message), entry.detail ?? .null,
        ])
    }

    /// Where a verification stopped.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// The sequence number of the first event that does not verify.
        public let sequence: Int64
        /// What is wrong there.
        public let reason: String
        /// "the chain breaks at event N: reason".
        public var description: String { "the chain breaks at event \(sequence): \(reason)" }
    }

    /// What ``verify(_:recordedTip:pageSize:)`` found.
    public struct Verification: Sendable, Hashable {
        /// Events read, up to and including the first break.
        public let events: Int
        /// The first break, or `nil` when the whole chain verifies.
        public let firstBreak: Break?
        /// The last verified link, which operators can record elsewhere and pass back as `recordedTip`.
        public let tip: Link
        /// Data rows whose stored content is not what the chain last recorded for them
        /// (checked only when the chain itself verifies).
        public var dataProblems: [String] = []
        /// Data rows the chain holds no record of (written before content auditing began).
        public var unaudited = 0

        /// Whether the chain and the data it covers both verify.
        public var isIntact: Bool { firstBreak == nil && dataProblems.isEmpty }
    }

    /// Recomputes the whole chain through the protocol, page by page.
    ///
    /// - Parameter recordedTip: a tip hash recorded earlier (outside the server); it must still
    ///   be in the chain, or events were cut from its end or the chain was rewritten.
    public static func verify(_ journal: any Journal, recordedTip: [UInt8]? = nil, pageSize: Int = 10_000) async throws(JournalError) -> Verification {
        var previous = Link.origin
        var count = 0
        var sawRecordedTip = recordedTip == nil || recordedTip == Link.origin.hash
        var content = ContentFingerprints()
        while true {
            let page = try await journal.auditEntries(after: previous.sequence, limit: pageSize)
            for entry in page {
                count += 1
                if let problem = check(entry, after: previous) {
                    return Verification(events: count, firstBreak: problem, tip: previous)
                }
                previous = Link(sequence: entry.sequence, hash: entry.hash ?? [])
                for (key, value) in entry.detail?["content"]?.objectValue ?? [:] {
                    if key.hasPrefix("purged:") { content.recordPurge(String(key.dropFirst("purged:".count))) } else { content.record(key: key, value: value.scalarText) }
                }
                if !sawRecordedTip, entry.hash == recordedTip { sawRecordedTip = true }
            }
            if page.count < pageSize { break }
        }
        if !sawRecordedTip {
            return Verification(events: count, firstBreak: Break(sequence: previous.sequence + 1, reason:
                "the recorded tip \(SHA256.hex(recordedTip ?? [])) is not in the chain: events were cut from its end, or the chain was rewritten"),
                tip: previous)
        }
        var verification = Verification(events: count, firstBreak: nil, tip: previous)
        try await verifyContent(journal, content: content, pageSize: pageSize, into: &verification)
        return verification
    }

    /// Compares every audited row with the latest content the chain recorded for it; a row
    /// blanked by a recorded purge of its dossier version is as it should be.
    private static func verifyContent(_ journal: any Journal, content: ContentFingerprints, pageSize: Int,
                                      into verification: inout Verification) async throws(JournalError) {
        for table in AuditedTable.allCases {
            var last: AuditedRow?
            while true {
                let page = try await journal.auditedRows(table, after: last, limit: pageSize)
                for row in page {
                    let blanked = table == .transfers ? row.value == "null" : table == .writebacks && row.value == ContentAudit.digest("{}")
                    if blanked, content.isPurged("\(row.dossierCode):v\(row.dossierVersion)") { continue }
                    guard let same = content.matches(key: row.key, value: row.value) else {
                        if !(table == .transfers && row.value == "null") { verification.unaudited += 1 }
                        continue
                    }
                    if !same, verification.dataProblems.count < 100 {
                        verification.dataProblems.append("\(row.key) is not what the chain recorded: the row was changed outside Interlink")
                    }
                }
                if page.count < pageSize { break }
                last = page.last
            }
        }
    }

    /// Why `entry` does not follow `previous`, or `nil` when it does.
    private static func check(_ entry: AuditEntry, after previous: Link) -> Break? {
        let expected = previous.sequence + 1
        if entry.sequence > expected {
            let missing = entry.sequence - 1 == expected ? "event \(expected) is" : "events \(expected)…\(entry.sequence - 1) are"
            return Break(sequence: expected, reason: "\(missing) missing (deleted)")
        }
        if entry.sequence < expected {
            return Break(sequence: entry.sequence, reason: "sequence numbers repeat or go back")
        }
        if let text = entry.detailText, text != JSONWriter.string(entry.detail ?? .null) {
            return Break(sequence: entry.sequence, reason: "its detail's stored bytes are not what was written")
        }
        guard let stored = entry.hash, stored == link(after: previous, entry: entry).hash else {
            return Break(sequence: entry.sequence, reason: "its hash does not match its content and the previous event's hash")
        }
        return nil
    }
}

/// One event as stored, for verifying the chain: level and kind as their stored text, not
/// decoded, so an altered value cannot decode back to the original.
public struct AuditEntry: Sendable, Hashable {
    /// The event's sequence number.
    public var sequence: Int64
    /// Milliseconds since the epoch.
    public var at: Int64
    /// The stored level text.
    public var level: String
    /// The stored kind text.
    public var kind: String
    /// The dossier the event is about, if any.
    public var dossierCode: String?
    /// The dossier version, if any.
    public var dossierVersion: Int64?
    /// The step, if any.
    public var step: String?
    /// The agency, if any.
    public var agency: String?
    /// The transfer, if any.
    public var transferID: Int64?
    /// The (masked) message.
    public var message: String
    /// The structured detail, parsed from its stored JSON (which the writer made canonical).
    public var detail: JSONValue?
    /// The detail's stored text, when read from a journal: it must be exactly the canonical
    /// form of ``detail``, so bytes changed in a way the parser would forgive still break the chain.
    public var detailText: String?
    /// The stored chain hash; `nil` when missing.
    public var hash: [UInt8]?

    /// An entry from stored columns.
    public init(sequence: Int64, at: Int64, level: String, kind: String, dossierCode: String?, dossierVersion: Int64?, step: String?,
                agency: String?, transferID: Int64?, message: String, detail: JSONValue?, hash: [UInt8]?, detailText: String? = nil) {
        self.detailText = detailText
        self.sequence = sequence
        self.at = at
        self.level = level
        self.kind = kind
        self.dossierCode = dossierCode
        self.dossierVersion = dossierVersion
        self.step = step
        self.agency = agency
        self.transferID = transferID
        self.message = message
        self.detail = detail
        self.hash = hash
    }

    /// The entry an event about to be appended as `sequence` will have.
    init(sequence: Int64, event: NewEvent, hash: [UInt8]?) {
        self.init(sequence: sequence, at: event.at.millisecondsSinceEpoch, level: event.level.rawValue, kind: event.kind.rawValue,
                  dossierCode: event.dossierCode, dossierVersion: event.dossierVersion.map(Int64.init), step: event.step, agency: event.agency,
                  transferID: event.transferID, message: event.message, detail: event.detail, hash: hash)
    }
}
