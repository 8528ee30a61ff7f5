extension DeadlineStatus {
    /// A deadline with where it stands now, and the dossier's newest version.
    public struct Current: Sendable {
        public var deadline: DeadlineRecord
        public var status: DeadlineStatus
        public var version: Int?
    }

    /// Reads what each deadline's dossier needs (its transfers, a pending write-back) and
    /// returns where each stands, in the order given. `routes` give the steps' order; without
    /// the route (`interlinkctl` reads no routes), the order the steps were planned in.
    public static func current(_ deadlines: [DeadlineRecord], journal: any Journal, routes: [RouteConfig],
                               openIncidents: [IncidentRecord]) async throws(JournalError) -> [Current] {
        var byCode: [String: (outcome: DossierOutcome?, version: Int?, transfers: [String: TransferRecord], pending: Bool)] = [:]
        var result: [Current] = []
        for deadline in deadlines {
            let code = deadline.dossierCode
            if byCode[code] == nil {
                let found = try await journal.dossierWithTransfers(code: code, version: nil, payload: false)
                let pending = try await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: code, target: .register, limit: 1)
                byCode[code] = (found.dossier?.outcome, found.dossier?.snapshot.version, TransferSet(all: found.transfers).effective, !pending.isEmpty)
            }
            let known = byCode[code]!
            let order = routes.first { $0.name == deadline.route }?.steps.map(\.name) ?? known.transfers.values.sorted { $0.id < $1.id }.map(\.step)
            let status = of(deadline, outcome: known.outcome, transfers: known.transfers, order: order, writeBackPending: known.pending,
                            openIncidents: openIncidents)
            result.append(Current(deadline: deadline, status: status, version: known.version))
        }
        return result
    }

    /// Dossiers (their whole group's deadline) due by `dueBy` and not done, with what holds
    /// each: what `interlinkctl overdue` lists and `status` counts.
    public static func undone(dueBy: Timestamp, journal: any Journal, openIncidents: [IncidentRecord]) async throws(JournalError) -> [Current] {
        let groups = try await journal.openDeadlines(dueBy: dueBy, limit: 10_000).filter { $0.step == nil }
        return try await current(groups, journal: journal, routes: [], openIncidents: openIncidents).filter { !$0.status.done }
    }
}
