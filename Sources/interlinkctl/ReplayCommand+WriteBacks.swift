import Interlink

extension ReplayCommand {
    /// `replay --writeback CODE` or `replay --writebacks --state dead [--since T]`.
    static func replayWriteBacks(_ context: Context) async throws -> Int32 {
        let options = context.options
        var selection = WriteBackReplay.Selection()
        if let code = options.value("writeback") {
            guard !options.has("writebacks") else { throw UsageError("use --writeback CODE or --writebacks --state dead, not both") }
            selection.dossierCodes = [code]
        } else {
            guard options.value("state") == "dead" else { throw UsageError("--writebacks needs --state dead: only dead write-backs are replayed") }
        }
        guard options.positional.count == 1, options.value("dossier") == nil, options.value("agency") == nil, !options.has("new-key") else {
            throw UsageError("transfer ids, --dossier, --agency and --new-key select transfers, not write-backs")
        }
        selection.since = try Commands.time(context, "since")
        let dryRun = options.has("dry-run")
        let reason = options.value("reason")?.trimmedWhitespace ?? ""
        guard dryRun || !reason.isEmpty else { throw UsageError("--reason TEXT is required: say why, for the audit trail") }
        let user = ActingUser.current(environment: context.environment)
        let result = try await WriteBackReplay.run(selection, reason: reason, user: user, dryRun: dryRun, journal: try context.openJournal())
        if context.json {
            context.printJSON(["dryRun": .bool(dryRun), "user": .string(user),
                               "replayed": .array(result.replayed.map { json($0, context) }),
                               "skipped": .array(result.skipped.map { ["dossier": .string($0.writeBack.dossierCode), "target": .string($0.writeBack.target.rawValue),
                                                                       "why": .string($0.why)] })])
        } else {
            var table = Table(["dossier", "target", "version", "outcome", "idempotency key", "last error"])
            for record in result.replayed {
                table.add([record.dossierCode, record.target.rawValue, "\(record.dossierVersion)", record.outcome.rawValue, record.idempotencyKey,
                           context.shown(record.lastError ?? "-")])
            }
            context.print((dryRun ? "Would replay" : "Replayed") + " \(result.replayed.count) write-back(s)" + (dryRun ? "; nothing was changed" : " as \(user)"))
            if !result.replayed.isEmpty { context.print(table.text) }
            for (record, why) in result.skipped { context.print("skipped the \(record.target.title) of \(record.dossierCode): \(why)") }
        }
        return result.replayed.isEmpty ? Exit.problems : Exit.ok
    }

    private static func json(_ record: WriteBackRecord, _ context: Context) -> JSONValue {
        ["dossier": .string(record.dossierCode), "target": .string(record.target.rawValue), "version": .number(Double(record.dossierVersion)),
         "outcome": .string(record.outcome.rawValue),
         "idempotencyKey": .string(record.idempotencyKey), "lastError": record.lastError.map { .string(context.shown($0)) } ?? .null]
    }
}
