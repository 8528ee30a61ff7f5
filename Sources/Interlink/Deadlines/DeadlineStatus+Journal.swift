extension DeadlineStatus {
    /// A deadline with where it stands now, and the dossier's newest version.
    public struct Current: Sendable {
        public var deadline: DeadlineRecord
        public var status: DeadlineStatus
        public var version: Int?
    }

    /// Where each open deadline stands, in the order read, from the facts read with them.
    /// `routes` give the steps' order; without the route (`interlinkctl` reads no routes), the
    /// order the steps were planned in.
    public static func current(_ open: OpenDeadlines, routes: [RouteConfig], openIncidents: [IncidentRecord]) -> [Current] {
        var effective: [String: [String: TransferRecord]] = [:]
        return open.deadlines.map { deadline in
            let code = deadline.dossierCode
            let transfers = effective[code] ?? TransferSet(all: open.transfers[code] ?? []).effective
            effective[code] = transfers
            let dossier = open.dossiers[code]
            let order = routes.first { $0.name == deadline.route }?.steps.map(\.name) ?? transfers.values.sorted { $0.id < $1.id }.map(\.step)
            let status = of(deadline, outcome: dossier?.outcome, transfers: transfers, order: order,
                            writeBackPending: open.writeBackPending.contains(code), openIncidents: openIncidents)
            return Current(deadline: deadline, status: status, version: dossier?.version)
        }
    }

    /// Dossiers (their whole group's deadline) due by `dueBy` and not done, with what holds
    /// each: what `interlinkctl overdue` lists and `status` counts.
    public static func undone(dueBy: Timestamp, journal: any Journal, openIncidents: [IncidentRecord]) async throws(JournalError) -> [Current] {
        let open = try await journal.openDeadlines(dueBy: dueBy, groupsOnly: true, limit: 10_000)
        return current(open, routes: [], openIncidents: openIncidents).filter { !$0.status.done }
    }
}
