import Interlink

/// `interlinkctl purge`: removes personal data of finished dossiers past their retention.
enum PurgeCommand: CtlCommand {
    static let name = "purge"
    static let summary = "remove personal data of finished dossiers past retention"
    static let help = """
        Usage: interlinkctl purge [--older-than T] [--dry-run] --reason TEXT [--json]

        Removes the personal data (dossier payload, agency results, discrepancy values, write-back body)
        of completed, cancelled and unrouted dossiers whose outcome is older than T (default: the
        config's retention.completedDays, else 90d). States, receipts, idempotency keys and events stay,
        so timelines and the audit chain remain verifiable. The daemon does this hourly by itself.
        --dry-run lists what would go and changes nothing. --reason is recorded (not needed with --dry-run).

        Examples:
          interlinkctl purge --dry-run
          interlinkctl purge --older-than 180d --reason "retention decision 12/QD of the province"
        """

    static let flags: Set<String> = ["dry-run"]
    static let options: Set<String> = ["older-than", "reason"]

    static func run(_ context: Context) async throws -> Int32 {
        let options = context.options
        let settings = try context.settings()
        let before = try Commands.time(context, "older-than")
            ?? Timestamp.now().adding(milliseconds: -Int64(settings.retentionDays ?? 90) * 86_400_000)
        let dryRun = options.has("dry-run")
        let reason = options.value("reason")?.trimmedWhitespace ?? ""
        guard dryRun || !reason.isEmpty else { throw UsageError("--reason TEXT is required: say why, for the audit trail") }
        let journal = try context.openJournal()
        let keys = try await journal.purgeCandidates(before: before, limit: 1_000_000)
        var scrubbed = true
        if !dryRun {
            let user = ActingUser.current(environment: context.environment)
            scrubbed = try await Retention.purge(keys, reason: "\(reason) (by \(user))", journal: journal)
        }
        if context.json {
            context.printJSON(["dryRun": .bool(dryRun), "before": .string(before.description), "scrubbed": .bool(scrubbed),
                               "dossiers": .array(keys.map { .string("\($0.code):v\($0.version)") })])
        } else {
            context.print((dryRun ? "Would purge" : "Purged") + " the personal data of \(keys.count) finished dossier version(s) older than \(before)")
            for key in keys.prefix(50) { context.print("  \(key.code) v\(key.version)") }
            if keys.count > 50 { context.print("  … and \(keys.count - 50) more (see --json)") }
            if !scrubbed { context.print("! readers kept the journal's WAL busy: the erased bytes leave at its next checkpoint; run the purge again to make sure") }
        }
        return Exit.ok
    }
}
