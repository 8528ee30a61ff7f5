import Interlink

/// `interlinkctl log`: the sync log from the journal's events, masked.
enum LogCommand: CtlCommand {
    static let name = "log"
    static let summary = "the sync log, filtered or followed"
    static let help = """
        Usage: interlinkctl log [--dossier CODE] [--agency NAME] [--level LEVEL] [--since T] [--until T]
                                [--limit N] [--follow] [--json]

        The newest N (default 100) events matching the filters, oldest first. LEVEL shows that level
        and more severe ones (error, warning, notice, info, debug). T is today, yesterday, a date
        (2026-11-30), a local time (2026-11-30 08:30, in time.zone), a duration back from now (30m,
        1h30m, 2w) or an RFC 3339 time; times print in time.zone (--utc: UTC). --follow then streams new events like `journalctl -f` until interrupted, from
        every daemon sharing the journal (woken by LISTEN on PostgreSQL, at least once a second).
        --json prints one event per line. Personal data is always masked.

        Examples:
          interlinkctl log --dossier H12.22-251120-0001
          interlinkctl log --level warning --since today
          interlinkctl log --agency land --since "2026-11-30 08:00" --until "2026-11-30 11:30"
          interlinkctl log --level error --follow
          interlinkctl log --since 1h30m --json
        """

    static let flags: Set<String> = ["follow"]
    static let options: Set<String> = ["dossier", "agency", "level", "since", "until", "limit"]

    static func run(_ context: Context) async throws -> Int32 {
        let options = context.options
        var query = EventQuery(dossierCode: options.value("dossier"), agency: options.value("agency"), limit: try Commands.limit(options, default: 100))
        if let level = options.value("level") {
            guard let parsed = LogLevel(rawValue: level) else {
                throw UsageError("--level must be one of: \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.minimumLevel = parsed
        }
        query.since = try Commands.time(context, "since")
        query.until = try Commands.time(context, "until")
        let journal = try context.openJournal()
        var last = try await emit(try await journal.events(query), context: context) ?? 0
        guard options.has("follow") else { return Exit.ok }
        query.limit = 10_000
        // Woken by every daemon's new events through LISTEN on PostgreSQL; polled on SQLite.
        let watch = JournalWatch(journal, channels: [.events])
        while !Task.isCancelled {
            query.afterSequence = last
            last = try await emit(try await journal.events(query), context: context) ?? last
            await watch.next()
        }
        return Exit.ok
    }

    /// Prints events; returns the last sequence printed.
    private static func emit(_ events: [EventRecord], context: Context) async throws -> Int64? {
        for event in events {
            context.print(context.json ? JSONWriter.string(PersonalDataMasker.mask(json(event))) : line(event, context: context))
        }
        return events.last?.sequence
    }

    static func line(_ record: EventRecord, context: Context, reveal: Bool = false) -> String {
        let event = record.event
        let columns = [context.shownTime(event.at), Table.pad(event.level.rawValue, 7), Table.pad(event.agency ?? "-", 14),
                       Table.pad(event.dossierCode ?? "-", 20), Table.pad(event.step ?? "-", 17)]
        return columns.joined(separator: " ") + " " + context.shown(event.message, reveal: reveal)
    }

    static func json(_ record: EventRecord) -> JSONValue {
        let event = record.event
        return ["seq": .number(Double(record.sequence)), "ts": .string(event.at.description), "level": .string(event.level.rawValue),
                "kind": .string(event.kind.rawValue), "dossier": event.dossierCode.map(JSONValue.string) ?? .null,
                "version": event.dossierVersion.map { .number(Double($0)) } ?? .null, "step": event.step.map(JSONValue.string) ?? .null,
                "agency": event.agency.map(JSONValue.string) ?? .null, "transfer": event.transferID.map { .number(Double($0)) } ?? .null,
                "msg": .string(event.message), "detail": event.detail ?? .null]
    }
}

extension Table {
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
