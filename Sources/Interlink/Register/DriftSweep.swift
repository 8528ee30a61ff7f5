/// One drift sweep: a full keyset-paged pass over the register that finds what polling and
/// write-backs can miss, and (unless it is a dry run) mends it.
/// - A dossier version the journal lacks (the register committed it later than polling's
///   look-back reaches) is stored; the daemon plans it at its next poll.
/// - A dossier whose interconnection record at the register differs from the journal's last
///   verified write-back (someone changed it, or a restored register lost it) has that
///   write-back queued again under a fresh key, so the register stores it anew.
/// Each finding is an event. The daemon runs it every `register.sweep.intervalSeconds`;
/// `interlinkctl sweep` runs the same pass on demand.
public struct DriftSweep: Sendable {
    /// What a pass found, and whether it read the register to its end.
    public struct Report: Sendable {
        /// Dossier entries read.
        public var dossiers = 0
        /// Versions the journal lacked.
        public var late: [DossierSnapshot] = []
        /// Write-backs whose record at the register differs, with how.
        public var drifted: [(writeBack: WriteBackRecord, why: String)] = []
        /// Whether the pass reached the register's end (else the next one starts over).
        public var complete = false
    }

    let client: RegisterClient
    let journal: any Journal
    let pageSize: Int
    let pageDelay: Duration
    /// The daemon's breaker, so an outage pauses the sweep too; nil from `interlinkctl`.
    let health: RegisterHealth?

    /// A sweep of the register `settings` names, into `journal`.
    public init(settings: RegisterConfig, http: HTTPClient, journal: any Journal) {
        self.init(client: RegisterClient(settings: settings, http: http), journal: journal, pageSize: settings.pageSize,
                  pageDelay: .milliseconds(settings.sweep.pageDelayMs), health: nil)
    }

    init(client: RegisterClient, journal: any Journal, pageSize: Int, pageDelay: Duration, health: RegisterHealth?) {
        self.client = client
        self.journal = journal
        self.pageSize = pageSize
        self.pageDelay = pageDelay
        self.health = health
    }

    /// One pass; `apply: false` only reports. `wait` paces the pages and ends early when it
    /// returns false (the daemon stopping).
    public func run(apply: Bool, wait: @Sendable (Duration) async -> Bool = { _ in true }) async throws(RegisterError) -> Report {
        var report = Report()
        var position: RegisterCursor?
        while true {
            let from = position, client = self.client, limit = pageSize
            let page = try RegisterPageParser.parsePage(try await read { () async throws(RegisterError) in
                try await client.page(after: from, limit: limit)
            })
            for case .dossier(let snapshot) in page.items {
                report.dossiers += 1
                try await check(snapshot, apply: apply, into: &report)
            }
            guard let next = page.next else { break }
            position = next
            guard await wait(pageDelay) else { return report }
        }
        report.complete = true
        return report
    }

    private func check(_ snapshot: DossierSnapshot, apply: Bool, into report: inout Report) async throws(RegisterError) {
        let stored = try await journaled { () async throws(JournalError) in try await journal.dossier(code: snapshot.code, version: snapshot.version) }
        guard stored != nil else {
            report.late.append(snapshot)
            if apply {
                var batch = JournalBatch()
                batch.dossiers = [snapshot]
                batch.events = [NewEvent(level: .notice, kind: .registerPoll, dossierCode: snapshot.code, dossierVersion: snapshot.version,
                                         message: "found by the drift sweep: committed by the register after polling had passed it (updated \(snapshot.updatedAt))")]
                _ = try await journaled { () async throws(JournalError) in try await journal.apply(batch) }
            }
            return
        }
        let sent = try await journaled { () async throws(JournalError) in
            try await journal.writeBacks(states: [.sent], dueBy: nil, dossierCode: snapshot.code, target: .register, limit: 1).first
        }
        guard let sent else { return }
        let client = self.client, code = snapshot.code
        let record = try await read { () async throws(RegisterError) in try await client.interconnection(code: code) }
        guard let why = Self.drift(of: record, from: sent) else { return }
        report.drifted.append((sent, why))
        guard apply else { return }
        var update = WriteBackUpdate(dossierCode: sent.dossierCode, sequence: sent.sequence, state: .pending, attempts: 0, nextAttemptAt: nil,
                                     firstAttemptAt: nil, lastError: nil)
        update.expectedState = .sent
        update.idempotencyKey = Replay.freshKey(after: sent.idempotencyKey)
        var batch = JournalBatch()
        batch.writeBackUpdates = [update]
        batch.events = [NewEvent(level: .warning, kind: .writeBack, dossierCode: sent.dossierCode, dossierVersion: sent.dossierVersion,
                                 message: "the drift sweep found the register's record differs from what was written back (\(why)); rewriting it")]
        _ = try await journaled { () async throws(JournalError) in try await journal.apply(batch) }
    }

    /// How the register's record differs from the write-back the journal verified; nil when it does not.
    static func drift(of record: [UInt8]?, from sent: WriteBackRecord) -> String? {
        guard let record else { return "the register has no record" }
        guard let stored = try? JSONParser.parse(record) else { return "the register's record is not JSON" }
        if stored["dossierVersion"]?.intValue != sent.dossierVersion {
            return "it is for version \(stored["dossierVersion"]?.intValue.map(String.init) ?? "?"), not \(sent.dossierVersion)"
        }
        if stored["outcome"]?.stringValue != sent.outcome.registerOutcome {
            return "its outcome is \(stored["outcome"]?.stringValue ?? "?"), not \(sent.outcome.registerOutcome ?? "?")"
        }
        return nil
    }

    /// A register read, through the daemon's breaker when there is one.
    private func read<T: Sendable>(_ request: @Sendable () async throws(RegisterError) -> T) async throws(RegisterError) -> T {
        guard let health else { return try await request() }
        return try await health.guarding(request)
    }

    private func journaled<T>(_ body: () async throws(JournalError) -> T) async throws(RegisterError) -> T {
        do { return try await body() } catch { throw RegisterError(.journal, error.description) }
    }
}
