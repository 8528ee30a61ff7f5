import Interlink

/// `interlinkctl audit verify`: recomputes the events' hash chain.
enum AuditCommand: CtlCommand {
    static let name = "audit"
    static let summary = "verify the events' hash chain"
    static let help = """
        Usage: interlinkctl audit verify [--json]

        Recomputes the SHA-256 chain over every event of the journal. Exits 0 when it holds, or 1 naming
        the first event that does not verify: altering, deleting or inserting any event breaks it.
        Prints the hash of the last event (the tip); recording it outside the server, e.g. daily,
        also detects a chain recomputed by someone with write access to the journal.
        """

    static let flags: Set<String> = []
    static let options: Set<String> = []

    static func run(_ context: Context) async throws -> Int32 {
        guard context.options.positional.dropFirst().first == "verify" else { throw UsageError("say `interlinkctl audit verify`") }
        let journal = try context.openJournal()
        let (count, broken, tip) = try await journal.verifyAuditChain()
        if context.json {
            context.printJSON(["events": .number(Double(count)), "ok": .bool(broken == nil), "tip": .string(SHA256.hex(tip)),
                               "firstBrokenSequence": broken.map { .number(Double($0.sequence)) } ?? .null,
                               "reason": broken.map { .string($0.reason) } ?? .null])
        } else if let broken {
            context.print("audit chain BROKEN: \(broken); restore the journal from a backup and investigate who changed it")
        } else {
            context.print("audit chain ok: \(count) events verified; tip \(SHA256.hex(tip))")
        }
        return broken == nil ? Exit.ok : Exit.problems
    }
}
