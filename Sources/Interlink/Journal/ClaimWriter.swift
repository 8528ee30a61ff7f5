/// How every backend claims work, whatever its SQL: the backend selects what is due and
/// claimable (locking it where it can, skipping what others hold locked), and each row is
/// claimed under a new fencing token, compare-and-set on the token it was read with. The
/// rows were read in the claim's own write transaction, so the compare-and-set holds, and
/// a backend sends the claims without waiting for them.
enum ClaimWriter {
    /// Claims the due transfers of `request`; `update` makes each one's claim (the state,
    /// attempt and next look it moves to) and the record as it will stand, or nil to leave it.
    static func claimTransfers(_ request: TransferClaimRequest, update: (TransferRecord) -> (TransferUpdate, TransferRecord)?,
                               into statements: some JournalStatements, now: Int64) throws(JournalError) -> [TransferRecord] {
        var claimed: [TransferRecord] = []
        for row in try statements.dueTransfers(request) {
            guard var (change, record) = update(row) else { continue }
            change.fence = row.claimToken
            change.owner = .claim(request.owner)
            try statements.claimTransfer(change, at: now)
            record.claimedBy = request.owner
            record.claimToken = row.claimToken + 1
            claimed.append(record)
        }
        return claimed
    }

    /// Claims the due pending write-backs of `request`.
    static func claimWriteBacks(_ request: WriteBackClaimRequest, into statements: some JournalStatements,
                                now: Int64) throws(JournalError) -> [WriteBackRecord] {
        var claimed: [WriteBackRecord] = []
        for var row in try statements.dueWriteBacks(request) {
            try statements.claimWriteBack(row, owner: request.owner, at: now)
            row.claimedBy = request.owner
            row.claimToken += 1
            claimed.append(row)
        }
        return claimed
    }
}
