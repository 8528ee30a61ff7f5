/// The write-back sender's bookkeeping, with no I/O: which dossiers' write-backs are in
/// flight, how many of the register's slots their PUTs hold, and when to look for more.
struct WriteBackSlots: Sendable {
    /// The register's concurrency.
    var limit: Int
    /// Dossiers whose write-back request is running now.
    private(set) var inFlight: Set<String> = []
    /// PUTs on the wire: the register's concurrency applies to these.
    private(set) var inUse = 0
    /// Queries for pending write-backs running now, and the write-backs settled meanwhile
    /// (which those queries may still return as pending): never sent twice for that.
    private var looks = 0
    private var settledWhileLooking: Set<String> = []
    /// Set when a write-back is queued or rescheduled; otherwise the queue is looked at once
    /// a second, for retries coming due.
    private var queued = true
    private var lastLook = Timestamp(millisecondsSinceEpoch: 0)

    init(limit: Int) {
        self.limit = limit
    }

    /// How many pending write-backs to read now (free slots, plus those in flight whose rows
    /// still read as pending), or `nil` when none may start or nothing calls for a look.
    mutating func beginLook(now: Timestamp) -> Int? {
        guard limit - inUse > 0, queued || now.millisecondsSinceEpoch - lastLook.millisecondsSinceEpoch >= 1_000 else { return nil }
        queued = false
        lastLook = now
        looks += 1
        return limit - inUse + inFlight.count
    }

    /// What the look found (`nil` when the read failed): those to send now, each taking a slot.
    mutating func endLook(found: [WriteBackRecord]?) -> [WriteBackRecord] {
        looks -= 1
        let settledMeanwhile = settledWhileLooking
        if looks == 0 { settledWhileLooking.removeAll(keepingCapacity: true) }
        var send: [WriteBackRecord] = []
        for record in found ?? [] where !inFlight.contains(record.dossierCode) && !settledMeanwhile.contains(record.dossierCode) {
            guard inUse < limit else { break }
            inFlight.insert(record.dossierCode)
            inUse += 1
            send.append(record)
        }
        return send
    }

    /// The register answered a PUT: its slot is free, and can be filled at once.
    mutating func answered() {
        inUse -= 1
        queued = true
    }

    /// A write-back's answer is journaled: it is no longer in flight.
    mutating func settled(_ code: String) {
        inFlight.remove(code)
        if looks > 0 { settledWhileLooking.insert(code) }
        queued = true
    }

    /// A new write-back was queued (or one rescheduled): look soon.
    mutating func markQueued() {
        queued = true
    }

    /// Nothing in flight.
    var isIdle: Bool { inFlight.isEmpty }
}
