import Interlink

/// `interlinkctl audit verify`: recomputes the events' hash chain.
enum AuditCommand: CtlCommand {
    static let name = "audit"
    static let summary = "verify the events' hash chain"
    static let help = """
        Usage: interlinkctl audit verify [--tip HASH] [--json]

        Recomputes the SHA-256 chain over every event of the journal. Exits 0 when it holds, or 1 naming
        the first event that does not verify: altering, deleting or inserting any event breaks it.
        Prints the hash of the last event (the tip); record it outside the server, e.g. daily.
          --tip HASH   A tip recorded earlier: it must still be in the chain, so events cut from the end
                       of the journal, or a chain recomputed by someone with write access, are detected.

        Examples:
          interlinkctl audit verify
          interlinkctl audit verify --tip 3f5a0c9e1b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d --json
        """

    static let flags: Set<String> = []
    static let options: Set<String> = ["tip"]

    static func run(_ context: Context) async throws -> Int32 {
        guard context.options.positional.dropFirst().first == "verify" else { throw UsageError("say `interlinkctl audit verify`") }
        var recordedTip: [UInt8]?
        if let text = context.options.value("tip") {
            guard let tip = Hex.bytes(text), tip.count == 32 else { throw UsageError("--tip takes the 64 hex digits `audit verify` printed") }
            recordedTip = tip
        }
        let journal = try context.openJournal()
        let result = try await AuditChain.verify(journal, recordedTip: recordedTip)
        let tip = SHA256.hex(result.tip.hash)
        if context.json {
            context.printJSON(["events": .number(Double(result.events)), "ok": .bool(result.isIntact), "tip": .string(tip),
                               "tipSequence": .number(Double(result.tip.sequence)),
                               "firstBrokenSequence": result.firstBreak.map { .number(Double($0.sequence)) } ?? .null,
                               "reason": result.firstBreak.map { .string($0.reason) } ?? (result.dataProblems.first.map(JSONValue.string) ?? .null),
                               "dataProblems": .array(result.dataProblems.map(JSONValue.string)), "unauditedRows": .number(Double(result.unaudited))])
        } else if let broken = result.firstBreak {
            context.print("audit chain BROKEN: \(broken); restore the journal from a backup and investigate who changed it")
        } else if !result.dataProblems.isEmpty {
            context.print("audit chain ok, but the data it covers was changed: " + result.dataProblems.prefix(10).joined(separator: "; ")
                          + "; restore the journal from a backup and investigate who changed it")
        } else {
            context.print("audit chain ok: \(result.events) events verified, and the results, outcomes and write-back bodies they record; tip \(tip)"
                          + (result.unaudited > 0 ? " (\(result.unaudited) rows predate content auditing)" : ""))
        }
        return result.isIntact ? Exit.ok : Exit.problems
    }
}
