extension SyncEngine {
    /// Reads the register until stopped: a full pass, then a pause; failures back off.
    func pollLoop() async {
        var failures = 0
        var firstFailure = Timestamp.now()
        while !stopping {
            do {
                let fresh = try await pollOnce()
                if failures > 0 {
                    logger.notice("register reachable again", LogContext(extra: ["failedPolls": .number(Double(failures))]))
                }
                failures = 0
                registerQuiet = fresh == 0
                wake.signal()
                if fresh > 0 { continue }
                await pollWake.wait(timeout: .seconds(config.register.pollIntervalSeconds))
            } catch {
                if failures == 0 { firstFailure = .now() }
                failures += 1
                registerQuiet = false
                count { $0.registerFailures += 1 }
                // The register is retried forever: its budget only shapes the backoff.
                let schedule = RetrySchedule(policy: config.register.retry)
                let delay = schedule.backoffMs(attempts: min(failures, 30), jitter: Double.random(in: 0.5..<1))
                logger.warning("register poll failed; retrying", LogContext(attempt: failures, durationMs: Int(delay),
                                                                             extra: ["reason": .string(error.description),
                                                                                     "failingSince": .string(firstFailure.description)]))
                await pollWake.wait(timeout: .milliseconds(max(delay, 50)))
            }
        }
    }

    /// Streams the register from the cursor (less the look-back window) to its end, one page
    /// per transaction. Returns how many dossier versions were new.
    func pollOnce() async throws(RegisterError) -> Int {
        registerQuiet = false
        await recover()
        var cursor = try await journalCall { () async throws(JournalError) in try await journal.cursor() }
        var position: RegisterCursor? = cursor.map { current in
            let since = Timestamp(rfc3339: current.updatedSince) ?? .now()
            return RegisterCursor(updatedSince: since.adding(milliseconds: -Int64(config.register.lookBackSeconds) * 1_000).description,
                                  afterCode: "")
        }
        var fresh = 0
        // Halved while pages come back larger than the register's maxResponseBytes (a run of
        // large dossiers), so one big page never stalls the sync; back to full after a success.
        var limit = config.register.pageSize
        while !stopping {
            var query: [(String, String)] = [("limit", String(limit))]
            if let position {
                query.insert(("updatedSince", position.updatedSince), at: 0)
                if !position.afterCode.isEmpty { query.insert(("afterCode", position.afterCode), at: 1) }
            }
            let response: HTTPResponse
            switch await register.send("GET", "/dossiers" + EndpointClient.queryString(query)) {
            case .failure(let error) where error.kind == .responseTooLarge && limit > 1:
                limit = max(1, limit / 2)
                logger.notice("register page too large; asking for smaller pages", LogContext(extra: ["limit": .number(Double(limit))]))
                continue
            case .failure(let error) where error.kind == .responseTooLarge:
                throw RegisterError("a single dossier is larger than register.maxResponseBytes (\(config.register.endpoint.maxResponseBytes) bytes); "
                                    + "raise it to read on: \(error.description)")
            case .failure(let error): throw RegisterError(error.description)
            case .success(let answer): response = answer
            }
            limit = config.register.pageSize
            guard response.status == 200 else { throw RegisterError("the register answered HTTP \(response.status) to a page request") }
            let known = knownVersions
            let page = try RegisterPageParser.parsePage(response.body) { code, version in (known[code] ?? 0) >= version }
            cursor = Self.furthest(cursor, page)
            fresh += try await store(page, cursor: cursor)
            guard let next = page.next else { break }
            position = next
        }
        return fresh
    }

    /// Plans and reconciles what a crash interrupted: dossiers stored but not planned, and
    /// transfer changes not yet reconciled into an outcome.
    func recover() async {
        var position: DossierKey?
        while !stopping, let records = try? await journal.dossiersNeedingAttention(after: position, limit: 200), !records.isEmpty {
            position = records.last.map { DossierKey(code: $0.snapshot.code, version: $0.snapshot.version) }
            for record in records {
                if record.planned {
                    await reconcile(record.snapshot.code)
                } else {
                    await plan(record.snapshot)
                }
            }
        }
    }

    /// The cursor after a page: the later of the old one and the page's last entry, never backwards.
    static func furthest(_ cursor: RegisterCursor?, _ page: RegisterPage) -> RegisterCursor? {
        func key(_ cursor: RegisterCursor) -> (Int64, String) {
            ((Timestamp(rfc3339: cursor.updatedSince)?.millisecondsSinceEpoch ?? 0), cursor.afterCode)
        }
        guard let candidate = page.lastPosition else { return cursor }
        guard let cursor else { return candidate }
        return key(candidate) > key(cursor) ? candidate : cursor
    }

    /// Stores a page's dossiers and the cursor in one batch, quarantines malformed entries
    /// (once each), and plans every version seen for the first time.
    private func store(_ page: RegisterPage, cursor: RegisterCursor?) async throws(RegisterError) -> Int {
        var batch = JournalBatch()
        batch.cursor = cursor
        for item in page.items {
            switch item {
            case .dossier(let snapshot, _):
                batch.dossiers.append(snapshot)
            case .malformed(let code, let updatedAt, let reason):
                // A stable digest (not hashValue, which changes per process), so a restart does not quarantine it again.
                let marker = "quarantined/\(code ?? "unknown")/\(updatedAt ?? "")/" + SHA256.hex(SHA256.hash(Array(reason.utf8))).prefix(16)
                guard (try? await journal.metadata(marker)) == nil else { continue }
                batch.metadata[marker] = Timestamp.now().description
                batch.events.append(NewEvent(level: .warning, kind: .dossierQuarantined, dossierCode: code,
                                             message: "malformed dossier from the register quarantined: \(reason)"))
                logger.warning("malformed dossier from the register quarantined", LogContext(dossier: code, extra: ["reason": .string(reason)]))
                count { $0.dossiersQuarantined += 1 }
            }
        }
        let result = try await journalCall { () async throws(JournalError) in try await journal.apply(batch) }
        remember(batch.dossiers)
        let fresh = zip(batch.dossiers, result.dossierInserted).filter(\.1).map(\.0)
        // Dossiers are planned side by side, so their commits share fdatasyncs (group commit);
        // versions of one dossier still go one after another, oldest first.
        await withTaskGroup(of: Void.self) { group in
            for versions in Dictionary(grouping: fresh, by: \.code).values {
                group.addTask {
                    for snapshot in versions.sorted(by: { $0.version < $1.version }) { await self.plan(snapshot) }
                }
            }
        }
        if !fresh.isEmpty { count { $0.dossiersSeen += fresh.count } }
        return fresh.count
    }

    /// The look-back window re-reads only a few seconds of the register; this many entries
    /// cover it many times over and keep memory flat however long the backlog.
    static var knownVersionsBound: Int { 20_000 }

    /// Versions stored recently, so look-back re-reads skip them without parsing. Bounded: when
    /// full it starts over, and the journal's own de-duplication still applies.
    private func remember(_ dossiers: [DossierSnapshot]) {
        if knownVersions.count > Self.knownVersionsBound { knownVersions.removeAll(keepingCapacity: true) }
        for dossier in dossiers { knownVersions[dossier.code] = max(knownVersions[dossier.code] ?? 0, dossier.version) }
    }

    /// Runs a journal call, turning its failure into a register-poll failure (retried later).
    func journalCall<T>(_ body: () async throws(JournalError) -> T) async throws(RegisterError) -> T {
        do {
            return try await body()
        } catch {
            throw RegisterError("the journal refused the poll's changes: \(error)")
        }
    }
}
