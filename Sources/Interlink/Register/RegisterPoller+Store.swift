extension RegisterPoller {
    /// Stores a page's dossiers and the cursor in one batch, quarantines malformed entries
    /// (once each), and hands every version seen for the first time to the intake. With a
    /// lease token, the batch commits only while this node still holds the lease; nil when it did not.
    func store(_ page: RegisterPage, cursor: RegisterCursor?, lease: Int64?) async throws(RegisterError) -> Int? {
        var batch = JournalBatch()
        batch.cursor = cursor
        if let lease { batch.preconditions = [.lease(name: Self.leaseName, holder: instance.id, token: lease)] }
        for item in page.items {
            switch item {
            case .dossier(let snapshot):
                batch.dossiers.append(snapshot)
            case .malformed(let code, let updatedAt, let reason):
                // A stable digest (not hashValue, which changes per process), so a restart does not quarantine it again.
                let marker = "quarantined/\(code ?? "unknown")/\(updatedAt ?? "")/" + SHA256.hex(SHA256.hash(Array(reason.utf8))).prefix(16)
                guard (try? await journal.metadata(marker)) == nil else { continue }
                batch.metadata[marker] = Timestamp.now().description
                batch.events.append(NewEvent(level: .warning, kind: .dossierQuarantined, dossierCode: code,
                                             message: "malformed dossier from the register quarantined: \(reason)"))
                logger.warning("malformed dossier from the register quarantined", LogContext(dossier: code, extra: ["reason": .string(reason)]))
                counters.add { $0.dossiersQuarantined += 1 }
            }
        }
        let result = try await asPollFailure { () async throws(JournalError) in try await journal.apply(batch) }
        guard !result.preconditionFailed else { return nil }
        remember(batch.dossiers)
        let fresh = zip(batch.dossiers, result.dossierInserted).filter(\.1).map(\.0)
        if let intake {
            // Dossiers are planned side by side, so their commits share fdatasyncs (group commit);
            // versions of one dossier still go one after another, oldest first.
            await withTaskGroup(of: Void.self) { group in
                for versions in Dictionary(grouping: fresh, by: \.code).values {
                    group.addTask {
                        for snapshot in versions.sorted(by: { $0.version < $1.version }) { await intake.plan(snapshot) }
                    }
                }
            }
        }
        if !fresh.isEmpty { counters.add { $0.dossiersSeen += fresh.count } }
        return fresh.count
    }

    /// The register's interconnection record of `code`, through the current client.
    func interconnection(_ code: String) async throws(RegisterError) -> [UInt8]? {
        try await client.interconnection(code: code)
    }

    /// Reads one dossier the register says changed (a write-back's version conflict) through
    /// the poller's own path: the same client and slots, stored like a page's entry, and
    /// handed on for planning when its version is new. A failure is logged; the next poll
    /// brings the new version anyway.
    func reread(_ code: String) async {
        do {
            guard let bytes = try await client.dossier(code: code) else {
                logger.warning("the register no longer knows a dossier it reported changed", LogContext(dossier: code))
                return
            }
            _ = try await store(RegisterPage(items: [RegisterPageParser.item(bytes)], next: nil, lastPosition: nil), cursor: nil, lease: nil)
        } catch {
            logger.warning("cannot re-read a changed dossier; the next poll brings it", LogContext(dossier: code, extra: ["reason": .string(error.description)]))
        }
    }

    /// The look-back window re-reads only a few seconds of the register; this many entries
    /// cover it many times over and keep memory flat however long the backlog.
    static var knownVersionsBound: Int { 20_000 }

    /// Versions stored recently, so look-back re-reads skip them without parsing. Bounded: when
    /// full it starts over, and the journal's own de-duplication still applies.
    private func remember(_ dossiers: [DossierSnapshot]) {
        if knownVersions.count > Self.knownVersionsBound { knownVersions.removeAll(keepingCapacity: true) }
        for dossier in dossiers {
            knownVersions[dossier.code] = max(knownVersions[dossier.code] ?? 0, dossier.version)
            dossier.rememberPersonalValues()
        }
    }

    /// Runs a journal step of the poll: its failure fails this pass, which is retried.
    func asPollFailure<T>(_ body: () async throws(JournalError) -> T) async throws(RegisterError) -> T {
        do {
            return try await body()
        } catch {
            throw RegisterError(.journal, "the journal refused the poll's changes: \(error)")
        }
    }
}
