import Synchronization

/// Asks the register what was already done before a dossier version the journal never saw is
/// pushed: a journal lost, or restored from an older backup, no longer knows which steps an
/// agency applied, but the register keeps the interconnection record a daemon wrote back.
/// Steps it lists as completed or accepted are adopted (see ``Planner/decide(_:route:earlier:record:now:)``).
///
/// The record is read only when it can matter: the journal holds nothing of the dossier, and
/// either an earlier version existed or the dossier last changed before this journal began.
/// A journal that has run since before the dossier appeared never reads it.
final class RegisterRecovery: Sendable {
    /// Reads a dossier's record; `nil` when the register has none.
    let read: @Sendable (String) async throws(RegisterError) -> [UInt8]?
    private let bornAt = Mutex<Timestamp?>(nil)

    init(read: @escaping @Sendable (String) async throws(RegisterError) -> [UInt8]?) {
        self.read = read
    }

    /// Whether `snapshot`'s record can matter, given what the journal holds of its earlier versions.
    func applies(to snapshot: DossierSnapshot, earlier: [TransferRecord], journal: any Journal) async -> Bool {
        guard earlier.isEmpty else { return false }
        if snapshot.version > 1 { return true }
        guard let born = await journalBornAt(journal), let updated = Timestamp(rfc3339: snapshot.updatedAt) else { return true }
        return updated < born
    }

    /// When the journal began: its first daemon's start (instance rows are kept for good).
    private func journalBornAt(_ journal: any Journal) async -> Timestamp? {
        if let known = bornAt.withLock({ $0 }) { return known }
        guard let first = (try? await journal.instances())?.map(\.startedAt).min() else { return nil }
        bornAt.withLock { $0 = first }
        return first
    }
}
