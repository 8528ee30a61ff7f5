/// One audited data row as stored: its content key, what the chain should hold for it, and
/// the dossier version it belongs to (a purge blanks it legitimately).
public struct AuditedRow: Sendable, Hashable {
    public var key: String
    /// The stored text's hash (`null` for none), or the outcome.
    public var value: String
    public var dossierCode: String
    public var dossierVersion: Int
    /// Where the row sits in its table's key order, for the next page: the transfer's id, or
    /// the write-back's target (a dossier's key is its code and version).
    public var transferID: Int64 = 0
    public var target: String = ""
}

/// Which audited table a page of ``AuditedRow``s comes from.
public enum AuditedTable: String, Sendable, CaseIterable {
    case transfers, dossiers, writebacks
}

extension SQLReader {
    /// The last event's sequence number and chain hash: the tip operators anchor elsewhere.
    func chainTip() async throws(JournalError) -> AuditChain.Link {
        try await read { session throws(JournalError) in
            try session.rows("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", []) {
                AuditChain.Link(sequence: $0.int64(0), hash: $0.blob(1) ?? [])
            }.first ?? .origin
        }
    }

    /// A page of `table`'s audited rows, in a stable order, after the `after`-th row.
    /// A page of `table`'s audited rows in key order, after `last` (from the start when nil).
    /// Pages continue from a key, not an offset: an offset rescans every row before it, which
    /// on years of history made the whole walk quadratic.
    func auditedRows(_ table: AuditedTable, after last: AuditedRow?, limit: Int) async throws(JournalError) -> [AuditedRow] {
        let size = SQLValue.integer(Int64(limit))
        return try await read { session throws(JournalError) in
            switch table {
            case .transfers:
                try session.rows("SELECT id, result, dossier_code, dossier_version FROM transfers WHERE id > ? ORDER BY id LIMIT ?",
                                 [.integer(last?.transferID ?? 0), size]) {
                    AuditedRow(key: ContentAudit.transferKey($0.int64(0)), value: ContentAudit.digest($0.optionalString(1)),
                               dossierCode: $0.string(2), dossierVersion: Int($0.int64(3)), transferID: $0.int64(0))
                }
            case .dossiers:
                try session.rows("SELECT code, version, outcome FROM dossiers WHERE (code, version) > (?, ?) ORDER BY code, version LIMIT ?",
                                 [.text(last?.dossierCode ?? ""), .integer(Int64(last?.dossierVersion ?? 0)), size]) {
                    AuditedRow(key: ContentAudit.dossierKey($0.string(0), Int($0.int64(1))), value: $0.string(2),
                               dossierCode: $0.string(0), dossierVersion: Int($0.int64(1)))
                }
            case .writebacks:
                try session.rows("""
                    SELECT dossier_code, target, body, dossier_version FROM writebacks WHERE (dossier_code, target) > (?, ?)
                    ORDER BY dossier_code, target LIMIT ?
                    """, [.text(last?.dossierCode ?? ""), .text(last?.target ?? ""), size]) {
                    AuditedRow(key: ContentAudit.writeBackKey($0.string(0), WriteBackTarget(rawValue: $0.string(1)) ?? .register),
                               value: ContentAudit.digest($0.string(2)), dossierCode: $0.string(0), dossierVersion: Int($0.int64(3)),
                               target: $0.string(1))
                }
            }
        }
    }
}
