import Interlink

/// `interlinkctl review`: dossiers whose agency results disagree, and their resolution.
enum ReviewCommand: CtlCommand {
    static let name = "review"
    static let summary = "list and resolve discrepancies"
    static let help = """
        Usage: interlinkctl review [--json]
               interlinkctl review resolve CODE --accept-agency|--accept-dossier --reason TEXT

        Lists dossiers in needs-review with their discrepancies (masked diffs) and reasons, and, for a
        new version that arrived after a step reached an agency, how that step's request would change.
        `resolve` records the decision with the acting user and reason; the daemon then completes the
        dossier and writes it back to the register.

        Examples:
          interlinkctl review
          interlinkctl review resolve H12.22-251120-0001 --accept-agency --reason "the card number the agency holds is right"
        """

    static let flags: Set<String> = ["accept-agency", "accept-dossier"]
    static let options: Set<String> = ["reason"]

    static func run(_ context: Context) async throws -> Int32 {
        let arguments = Array(context.options.positional.dropFirst())
        let journal = try context.openJournal()
        if arguments.first == "resolve" {
            return try await resolve(arguments, context: context, journal: journal)
        }
        guard arguments.isEmpty else { throw UsageError("unknown review command \(arguments[0]); say `review` or `review resolve CODE`") }
        let dossiers = try await journal.dossiers(outcome: .needsReview, procedure: nil, since: nil, limit: 10_000)
        for dossier in dossiers {
            let item: JSONValue = ["code": .string(dossier.snapshot.code), "version": .number(Double(dossier.snapshot.version)),
                                   "procedure": .string(dossier.snapshot.procedureCode),
                                   "discrepancies": dossier.reasons?["discrepancies"] ?? [], "reasons": dossier.reasons?["reasons"] ?? [],
                                   "requestChanges": .object(dossier.flags.requestChanges.mapValues(JSONValue.array))]
            if context.json {
                context.printJSON(context.shown(item))
                continue
            }
            context.print("\(dossier.snapshot.code) v\(dossier.snapshot.version) (\(dossier.snapshot.procedureCode))")
            for discrepancy in item["discrepancies"]?.arrayValue ?? [] {
                context.print("  \(discrepancy["check"]?.stringValue ?? "?"): \(discrepancy["left"]?.stringValue ?? "") = "
                              + JSONWriter.string(context.shown(discrepancy["leftValue"] ?? .null)) + "  ≠  "
                              + "\(discrepancy["right"]?.stringValue ?? "") = " + JSONWriter.string(context.shown(discrepancy["rightValue"] ?? .null)))
            }
            for reason in item["reasons"]?.arrayValue ?? [] { context.print("  " + context.shown(reason["message"]?.stringValue ?? "")) }
            // What the new version would change in requests an agency already holds (masked when stored).
            for (step, changes) in dossier.flags.requestChanges.sorted(by: { $0.key < $1.key }) {
                for change in changes {
                    context.print("  \(step) request \(change["pointer"]?.stringValue ?? "?"): "
                                  + JSONWriter.string(change["before"] ?? .null) + " → " + JSONWriter.string(change["after"] ?? .null))
                }
            }
        }
        if !context.json { context.print("\(dossiers.count) dossier(s) need review") }
        return Exit.ok
    }

    private static func resolve(_ arguments: [String], context: Context, journal: any Journal) async throws -> Int32 {
        guard arguments.count == 2 else { throw UsageError("say `review resolve CODE --accept-agency|--accept-dossier --reason TEXT`") }
        let options = context.options
        guard options.has("accept-agency") != options.has("accept-dossier") else {
            throw UsageError("choose exactly one of --accept-agency and --accept-dossier")
        }
        guard let reason = options.value("reason")?.trimmedWhitespace, !reason.isEmpty else {
            throw UsageError("--reason TEXT is required: say why, for the audit trail")
        }
        let decision: ReviewDecision = options.has("accept-agency") ? .acceptAgency : .acceptDossier
        let user = ActingUser.current(environment: context.environment)
        do {
            _ = try await Review.resolve(code: arguments[1], decision: decision, reason: reason, user: user, journal: journal)
        } catch {
            context.print(error.description)
            return Exit.problems
        }
        context.print("resolved \(arguments[1]) (\(decision.rawValue)) as \(user); the daemon completes it and writes it back")
        return Exit.ok
    }
}
