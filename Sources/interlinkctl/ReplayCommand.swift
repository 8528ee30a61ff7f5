import Interlink

/// `interlinkctl replay`: sends failed transfers again, resuming each chain at its failed step.
enum ReplayCommand: CtlCommand {
    static let name = "replay"
    static let summary = "send failed transfers again"
    static let help = """
        Usage: interlinkctl replay [TRANSFER-ID …] [--dossier CODE] [--agency NAME] [--state dead|rejected] [--since T]
                                   --reason TEXT [--dry-run] [--new-key | --rerender] [--json]
               interlinkctl replay --writeback CODE --reason TEXT [--dry-run] [--json]
               interlinkctl replay --writebacks --state dead [--since T] --reason TEXT [--dry-run] [--json]

        Selects failed transfers by id, by dossier, or by filter, and sets them back to ready; the running
        daemon sends them within a second. Completed steps are never sent again: each chain resumes at its
        failed step, reusing earlier results. The original Idempotency-Key is reused, so an agency that
        already applied the request answers with its stored result. The request goes again exactly as
        it was first sent, whatever the templates say today. --new-key sends it under a fresh key
        instead, only for an agency that has forgotten the old one; it is recorded as such.
        --rerender renders the request again from today's configuration (after a template fix) under a
        new, recorded key; with --dry-run (and --config) it prints how each request would change.

        --reason is required (except with --dry-run) and is recorded with the acting user ($SUDO_USER,
        $USER, or the uid). --dry-run prints exactly what would be replayed and changes nothing.
        Two replays racing each other send each transfer once. Exits 1 when nothing was replayed.

        --writeback CODE and --writebacks --state dead resend write-backs that gave up, so the register
        learns the outcome it never got: under the same key (the same body), with the same reason, user,
        dry run and race rules. --since keeps those first tried since T.

        Examples:
          interlinkctl replay --agency insurance --state dead --since 2h --dry-run
          interlinkctl replay --agency insurance --state dead --since 2h --reason "insurance endpoint restored"
          interlinkctl replay 4182 4190 --reason "agency asked to resend"
          interlinkctl replay --dossier H12.22-251120-0001 --rerender --reason "template fixed"
          interlinkctl replay --writebacks --state dead --since yesterday --reason "register back online"
        """

    static let flags: Set<String> = ["dry-run", "new-key", "rerender", "writebacks"]
    static let options: Set<String> = ["dossier", "agency", "state", "since", "reason", "writeback"]

    static func run(_ context: Context) async throws -> Int32 {
        let options = context.options
        if options.value("writeback") != nil || options.has("writebacks") { return try await replayWriteBacks(context) }
        var selection = ReplaySelection()
        for id in options.positional.dropFirst() {
            guard let number = Int64(id) else { throw UsageError("\(id) is not a transfer id; ids are numbers (see `interlinkctl show CODE`)") }
            selection.transferIDs.append(number)
        }
        selection.dossierCode = options.value("dossier")
        selection.agency = options.value("agency")
        if let state = options.value("state") {
            guard let parsed = TransferState(rawValue: state), parsed == .dead || parsed == .rejected else {
                throw UsageError("--state must be dead or rejected")
            }
            selection.states = [parsed]
        }
        selection.since = try Commands.time(context, "since")
        guard !selection.transferIDs.isEmpty || selection.dossierCode != nil || selection.agency != nil
                || options.value("state") != nil || selection.since != nil else {
            throw UsageError("choose what to replay: transfer ids, --dossier, or --agency/--state/--since")
        }
        let dryRun = options.has("dry-run")
        let reason = options.value("reason")?.trimmedWhitespace ?? ""
        guard dryRun || !reason.isEmpty else { throw UsageError("--reason TEXT is required: say why, for the audit trail") }
        let user = ActingUser.current(environment: context.environment)
        let journal = try context.openJournal()
        let rerender = options.has("rerender")
        guard !(rerender && options.has("new-key")) else { throw UsageError("--rerender already sends under a new key; drop --new-key") }
        var routes: [RouteConfig] = []
        if rerender && dryRun {
            guard let path = options.value("config") else { throw UsageError("--rerender --dry-run needs --config, to render with today's templates") }
            do {
                routes = try InterlinkConfig.load(path: path, environment: context.environment).routes
            } catch {
                throw CommandFailure(status: Exit.config, message: "\(error)")
            }
        }
        let result = try await Replay.run(selection, reason: reason, user: user, newKey: options.has("new-key"), rerender: rerender, routes: routes,
                                          dryRun: dryRun, journal: journal)
        if context.json {
            context.printJSON(["dryRun": .bool(dryRun), "user": .string(user),
                               "replayed": .array(result.replayed.map(ShowCommand.json).map { context.shown($0) }),
                               "skipped": .array(result.skipped.map { ["id": .number(Double($0.transfer.id)), "why": .string($0.why)] })])
        } else {
            var table = Table(["id", "dossier", "step", "agency", "state", "idempotency key", "last error"])
            for transfer in result.replayed {
                table.add(["\(transfer.id)", transfer.dossierCode, transfer.step, transfer.agency, transfer.state.rawValue,
                           transfer.idempotencyKey, context.shown(transfer.lastError ?? "-")])
            }
            context.print((dryRun ? "Would replay" : "Replayed") + " \(result.replayed.count) transfer(s)" + (dryRun ? "; nothing was changed" : " as \(user)"))
            if !result.replayed.isEmpty { context.print(table.text) }
            for (transfer, why) in result.skipped { context.print("skipped \(transfer.id) (\(transfer.dossierCode) \(transfer.step)): \(why)") }
            for (id, changes) in result.differences.sorted(by: { $0.key < $1.key }) {
                context.print("transfer \(id) rendered today: " + (changes.isEmpty ? "the same request" : "\(changes.count) change(s)"))
                for change in changes {
                    context.print("  \(change["pointer"]?.stringValue ?? "?"): " + JSONWriter.string(change["before"] ?? .null)
                                  + " → " + JSONWriter.string(change["after"] ?? .null))
                }
            }
            if result.replayed.contains(where: { $0.state == .rejected }), !options.has("new-key") {
                context.print("note: a rejection replayed under its original key gets the agency's stored decision again")
            }
        }
        return result.replayed.isEmpty ? Exit.problems : Exit.ok
    }
}
