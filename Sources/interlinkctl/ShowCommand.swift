import Interlink

/// `interlinkctl show CODE`: one dossier's timeline across all agencies.
enum ShowCommand: CtlCommand {
    static let name = "show"
    static let summary = "one dossier's timeline across all agencies"
    static let help = """
        Usage: interlinkctl show CODE [--reveal FIELD]... [--reveal all] [--json]

        Every version, every step with its state, attempts, receipt, idempotency key and result; the
        discrepancies with their diff; the write-back; and the dossier's events. Personal and sensitive
        data (names, ID numbers, dates of birth, addresses, ethnicity, religion …) are masked. --reveal
        unmasks one field (a dossier pointer such as /form/child/fullName, or steps.<step>.result/<field>;
        repeatable), or all of them. Every reveal is recorded in the journal with the account that ran
        the command, as the kernel knows it (never $USER).

        Examples:
          interlinkctl show H12.22-251120-0001
          interlinkctl show H12.22-251120-0001 --utc --json
          interlinkctl show H12.22-251120-0001 --reveal /form/child/fullName
        """

    static let flags: Set<String> = []
    static let options: Set<String> = ["reveal"]

    static func run(_ context: Context) async throws -> Int32 {
        guard let code = context.options.positional.dropFirst().first else { throw UsageError("say which dossier: interlinkctl show CODE") }
        let selection = try RevealSelection(context.options.values["reveal"] ?? [])
        let reveal = selection.all
        let journal = try context.openJournal()
        guard let dossier = try await journal.latestDossier(code: code) else {
            context.print("no dossier \(code) in the journal")
            return Exit.problems
        }
        if !selection.isEmpty {
            let user = ActingUser.current(environment: context.environment)
            var batch = JournalBatch()
            batch.events = [NewEvent(level: .notice, kind: .reveal, dossierCode: code, dossierVersion: dossier.snapshot.version,
                                     message: "personal data of the dossier shown unmasked to \(user): \(selection.described.joined(separator: ", "))",
                                     detail: ["user": .string(user), "fields": .array(selection.described.map(JSONValue.string))])]
            // A reveal that cannot be recorded does not happen.
            try await journal.apply(batch)
        }
        let payload = selection.apply(masked: PersonalDataMasker.mask(dossier.snapshot.payload), original: dossier.snapshot.payload,
                                      pointers: selection.dossierPointers)
        let transfers = try await journal.transfers(TransferQuery(states: [], dossierCode: code, limit: 1_000))
        let writeBack = try await journal.writeBacks(states: [], dueBy: nil, dossierCode: code, target: .register, limit: 1).first
        let events = try await journal.events(EventQuery(dossierCode: code, limit: 10_000))
        let deadlines = try await journal.deadlines(dossierCode: code)
        let incidents = try await journal.incidents(openOnly: false, dossierCode: code, limit: 100)
        let discrepancies = dossier.reasons?["discrepancies"]?.arrayValue ?? []
        if context.json {
            guard case .object(var document) = context.shown([
                "code": .string(code), "version": .number(Double(dossier.snapshot.version)),
                "procedure": .string(dossier.snapshot.procedureCode), "outcome": .string(dossier.outcome.rawValue),
                "reasons": dossier.reasons ?? .null, "flags": dossier.flags.json,
                "writeBack": writeBack.map { ["state": .string($0.state.rawValue), "outcome": .string($0.outcome.rawValue),
                                              "sequence": .number(Double($0.sequence)), "attempts": .number(Double($0.attempts)),
                                              "idempotencyKey": .string($0.idempotencyKey), "lastError": $0.lastError.map(JSONValue.string) ?? .null] } ?? .null,
                "events": .array(events.map(LogCommand.json)), "deadlines": deadlineJSON(deadlines),
                "incidents": .array(incidents.map(IncidentsCommand.json)),
            ], reveal: reveal) else { return Exit.ok }
            // What was revealed is put in after masking the rest, so masking cannot hide it again.
            document["dossier"] = selection.isEmpty ? .null : payload
            document["steps"] = .array(transfers.map { json($0, selection) })
            context.printJSON(.object(document))
            return Exit.ok
        }
        // The register shows what was written back, not what the journal decided: say when they differ.
        let notWrittenBack = writeBack.map { $0.state == .pending || $0.state == .dead } ?? false
        context.print("Dossier \(code)  version \(dossier.snapshot.version)  procedure \(dossier.snapshot.procedureCode)  outcome \(dossier.outcome.rawValue)"
                      + (notWrittenBack ? " (not written back: \(writeBack?.state == .dead ? "the write-back gave up" : "pending"))" : ""))
        context.print("Seen \(context.shownTime(dossier.seenAt))" + (dossier.flags.changedAfterSteps.isEmpty ? "" : "; changed after \(dossier.flags.changedAfterSteps.joined(separator: ", ")) reached an agency")
                      + (dossier.flags.reviewResolution.map { "; review resolved: \($0)" } ?? ""))
        if !selection.isEmpty { context.print("Dossier: " + JSONWriter.string(payload)) }
        context.print("")
        var steps = Table(["version", "step", "agency", "state", "attempts", "receipt", "idempotency key", "last error"])
        for transfer in transfers {
            steps.add(["v\(transfer.dossierVersion)", transfer.step, transfer.agency, transfer.state.rawValue, "\(transfer.attempts)",
                       transfer.receipt ?? "-", transfer.idempotencyKey, context.shown(transfer.lastError ?? "-", reveal: reveal)])
        }
        context.print(steps.text)
        for transfer in transfers {
            if let result = transfer.result {
                let shown = selection.apply(masked: context.shown(result), original: result, pointers: selection.pointers(forStep: transfer.step))
                context.print("  \(transfer.step) result: " + JSONWriter.string(shown))
            }
            if let reasons = transfer.reasons, reasons != [] { context.print("  \(transfer.step) reasons: " + JSONWriter.string(context.shown(reasons, reveal: reveal))) }
        }
        if !discrepancies.isEmpty {
            context.print("")
            context.print("Discrepancies")
            for item in discrepancies {
                let left = JSONWriter.string(context.shown(item["leftValue"] ?? .null, reveal: reveal))
                let right = JSONWriter.string(context.shown(item["rightValue"] ?? .null, reveal: reveal))
                context.print("  \(item["check"]?.stringValue ?? "?"): \(item["left"]?.stringValue ?? "") = \(left)  ≠  \(item["right"]?.stringValue ?? "") = \(right)")
            }
        }
        context.print("")
        context.print("Write-back: " + (writeBack.map { "\($0.state.rawValue) (\($0.outcome.rawValue)), body #\($0.sequence), \($0.attempts) attempts, key \($0.idempotencyKey)"
            + ($0.lastError.map { "; last error: \($0)" } ?? "")
            + ($0.state == .dead ? "; the register never learned this outcome: `interlinkctl replay --writeback \(code) --reason …`" : "") } ?? "none yet"))
        printDeadlines(deadlines, incidents: incidents, context: context)
        context.print("")
        context.print("Timeline")
        for event in events { context.print("  " + LogCommand.line(event, context: context, reveal: reveal)) }
        return Exit.ok
    }

    /// A step masked but for the fields of its result revealed.
    static func json(_ transfer: TransferRecord, _ selection: RevealSelection) -> JSONValue {
        guard !selection.all, case .object(var step) = PersonalDataMasker.mask(json(transfer)) else { return json(transfer) }
        if let result = transfer.result {
            step["result"] = selection.apply(masked: PersonalDataMasker.mask(result), original: result, pointers: selection.pointers(forStep: transfer.step))
        }
        return .object(step)
    }

    static func json(_ transfer: TransferRecord) -> JSONValue {
        ["id": .number(Double(transfer.id)), "version": .number(Double(transfer.dossierVersion)), "step": .string(transfer.step),
         "agency": .string(transfer.agency), "state": .string(transfer.state.rawValue), "attempts": .number(Double(transfer.attempts)),
         "receipt": transfer.receipt.map(JSONValue.string) ?? .null, "idempotencyKey": .string(transfer.idempotencyKey),
         "result": transfer.result ?? .null, "reasons": transfer.reasons ?? .null, "lastError": transfer.lastError.map(JSONValue.string) ?? .null,
         "updatedAt": .string(transfer.updatedAt.description)]
    }
}
