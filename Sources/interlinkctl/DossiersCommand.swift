import Interlink

/// `interlinkctl dossiers`: a filtered list, newest first.
enum DossiersCommand: CtlCommand {
    static let name = "dossiers"
    static let summary = "list dossiers by outcome, procedure or time"
    static let help = """
        Usage: interlinkctl dossiers [--outcome O] [--procedure CODE] [--since T] [--limit N] [--json]

        Lists the newest version of each dossier. O is in-progress, completed, supplement-requested,
        needs-review, failed, quarantined, cancelled or not-routed. N defaults to 100. T is today,
        yesterday, a date (2026-11-30), a local time (2026-11-30 08:30, in time.zone), a duration back
        from now (30m, 1h30m, 2w) or an RFC 3339 time.

        Examples:
          interlinkctl dossiers --outcome needs-review
          interlinkctl dossiers --procedure 1.001193 --since yesterday
          interlinkctl dossiers --outcome failed --since 2026-11-30 --limit 500 --json
        """

    static let flags: Set<String> = []
    static let options: Set<String> = ["outcome", "procedure", "since", "limit"]

    static func run(_ context: Context) async throws -> Int32 {
        let options = context.options
        var outcome: DossierOutcome?
        if let text = options.value("outcome") {
            guard let parsed = DossierOutcome(rawValue: text) else {
                throw UsageError("--outcome must be one of: \(DossierOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            outcome = parsed
        }
        let since = try Commands.time(context, "since")
        let limit = try Commands.limit(options, default: 100)
        let journal = try context.openJournal()
        let dossiers = try await journal.dossiers(outcome: outcome, procedure: options.value("procedure"), since: since, limit: limit)
        if context.json {
            for dossier in dossiers {
                context.printJSON(["code": .string(dossier.snapshot.code), "version": .number(Double(dossier.snapshot.version)),
                                   "procedure": .string(dossier.snapshot.procedureCode), "outcome": .string(dossier.outcome.rawValue),
                                   "seenAt": .string(dossier.seenAt.description)])
            }
        } else {
            var table = Table(["code", "version", "procedure", "outcome", "seen"])
            for dossier in dossiers {
                table.add([dossier.snapshot.code, "\(dossier.snapshot.version)", dossier.snapshot.procedureCode, dossier.outcome.rawValue,
                           context.shownTime(dossier.seenAt)])
            }
            context.print(table.text)
        }
        return Exit.ok
    }
}
