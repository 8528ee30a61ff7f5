/// The table `interlinkd --until-idle` prints at the end: what happened and where to look next.
public enum RunSummary: Sendable {
    /// The summary text: outcomes and per-agency transfer states from the journal, this run's counters,
    /// and the `interlinkctl` commands to run next; journal read errors show as empty tables.
    public static func render(journal: any Journal, counters: EngineCounters, duration: Duration, journalPath: String) async -> String {
        let outcomes = (try? await journal.dossierCounts()) ?? [:]
        let transfers = (try? await journal.transferCounts()) ?? TransferCounts(byAgency: [:], oldestPending: [:])
        var lines: [String] = []
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        lines.append("Interlink sync summary (\(format(seconds)) s)")
        lines.append("")
        lines.append("Dossiers by outcome")
        for outcome in DossierOutcome.allCases where outcomes[outcome, default: 0] > 0 {
            lines.append("  \(pad(outcome.rawValue, 22)) \(outcomes[outcome]!)")
        }
        lines.append("")
        let states: [TransferState] = [.completed, .accepted, .rejected, .retrying, .dead, .waiting, .ready, .sending, .cancelling, .cancelled]
        lines.append("Transfers by agency   " + states.map { pad($0.rawValue, 10) }.joined())
        for agency in transfers.byAgency.keys.sorted() {
            let counts = transfers.byAgency[agency]!
            lines.append("  \(pad(agency, 20))" + states.map { pad(String(counts[$0, default: 0]), 10) }.joined())
        }
        lines.append("")
        lines.append("Requests \(counters.requests), retries \(counters.retries), rejections \(counters.rejections), "
                     + "dead \(counters.deadTransfers), discrepancies \(counters.discrepancies), write-backs \(counters.writeBacks)")
        if counters.recordReads > 0 {
            lines.append("Recovery from the register: \(counters.recordReads) interconnection records read, \(counters.stepsAdopted) steps adopted")
        }
        if counters.dossiersQuarantined > 0 || counters.dossiersNotRouted > 0 {
            lines.append("Quarantined \(counters.dossiersQuarantined), not routed \(counters.dossiersNotRouted)")
        }
        lines.append("")
        let ctl = controlCommand
        lines.append("Next: \(ctl) status --journal \(journalPath)")
        lines.append("      \(ctl) log --level warning --journal \(journalPath)")
        lines.append("      \(ctl) review --journal \(journalPath)")
        lines.append("      \(ctl) show CODE --journal \(journalPath)")
        return lines.joined(separator: "\n")
    }

    /// `interlinkctl` as the reader can run it: the one beside this binary (a build folder in the
    /// demo), or the one on PATH.
    static var controlCommand: String {
        let binary = CommandLine.arguments[0]
        guard let slash = binary.lastIndex(of: "/") else { return "interlinkctl" }
        let sibling = String(binary[...slash]) + "interlinkctl"
        return FileBytes.exists(sibling) && !sibling.hasPrefix("/usr/") ? sibling : "interlinkctl"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
