/// The write-back sender's bookkeeping, with no I/O: which dossiers' write-backs are in
/// flight, how many of the register's slots their PUTs hold, and when to look for more.
struct WriteBackSlots: Sendable {
    /// The register's concurrency.
    var limit: Int
    /// Dossiers whose write-back request is running now.
    private(set) var inFlight: Set<String> = []
    /// PUTs on the wire: the register's concurrency applies to these.
    private(set) var inUse = 0
    /// Whether a claim is running now. One at a time: a claim leaves out what is in flight
    /// when it starts, and a second one overlapping it would claim again (under a new fencing
    /// token) what the first just started, fencing out its settle. Write-backs settled during
    /// the claim are remembered too, so even a stale answer never sends one twice.
    private var looking = false
    private var settledWhileLooking: Set<String> = []
    /// Set when a write-back is queued or rescheduled; otherwise the queue is looked at once
    /// a second, for retries coming due.
    private var queued = true
    private var lastLook = Timestamp(millisecondsSinceEpoch: 0)

    init(limit: Int) {
        self.limit = limit
    }

    /// How many pending write-backs to claim now (the free slots; those in flight are left
    /// out of the claim), or `nil` when none may start, a claim is running (the call is
    /// remembered, so the next look happens at once), or nothing calls for a look.
    mutating func beginLook(now: Timestamp) -> Int? {
        guard !looking else {
            queued = true
            return nil
        }
        guard limit - inUse > 0, queued || now.millisecondsSinceEpoch - lastLook.millisecondsSinceEpoch >= 1_000 else { return nil }
        queued = false
        lastLook = now
        looking = true
        return limit - inUse
    }

    /// What the look found (`nil` when the read failed): those to send now, each taking a slot.
    mutating func endLook(found: [WriteBackRecord]?) -> [WriteBackRecord] {
        looking = false
        let settledMeanwhile = settledWhileLooking
        settledWhileLooking.removeAll(keepingCapacity: true)
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
        if looking { settledWhileLooking.insert(code) }
        queued = true
    }

    /// A new write-back was queued (or one rescheduled): look soon.
    mutating func markQueued() {
        queued = true
    }

    /// Nothing in flight.
    var isIdle: Bool { inFlight.isEmpty }
}
