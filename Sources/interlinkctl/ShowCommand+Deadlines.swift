import Interlink

/// What `show` says of a dossier's deadlines and the incidents that held it up.
extension ShowCommand {
    static func deadlineJSON(_ deadlines: [DeadlineRecord]) -> JSONValue {
        .array(deadlines.map { deadline in
            ["step": deadline.step.map(JSONValue.string) ?? .null, "agency": deadline.agency.map(JSONValue.string) ?? .null,
             "route": .string(deadline.route), "startsAt": .string(deadline.startsAt.description), "dueAt": .string(deadline.dueAt.description),
             "overdueAt": deadline.overdueAt.map { .string($0.description) } ?? .null,
             "settledAt": deadline.settledAt.map { .string($0.description) } ?? .null]
        })
    }

    static func printDeadlines(_ deadlines: [DeadlineRecord], incidents: [IncidentRecord], context: Context) {
        context.print("")
        if deadlines.isEmpty {
            context.print("Deadlines: none (the dossier has no receivedAt, or was planned before deadlines were kept)")
        } else {
            context.print("Deadlines")
            let now = Timestamp.now()
            let calendar = (try? context.settings())?.calendar.calendar ?? WorkingCalendar()
            for deadline in deadlines {
                let left = OverdueCommand.hours(Double(calendar.working(from: now, to: deadline.dueAt)) / 3_600_000)
                let state = deadline.settledAt != nil ? (deadline.overdueAt != nil ? "done late" : "done")
                    : deadline.dueAt <= now ? "OVERDUE (\(left) working hours)" : "open, \(left) working hours left"
                context.print("  " + Table.pad(deadline.step.map { "\($0) (\(deadline.agency ?? "?"))" } ?? "whole group (\(deadline.route))", 34)
                              + " due \(context.shownTime(deadline.dueAt))  \(state)")
            }
        }
        guard !incidents.isEmpty else { return }
        context.print("")
        context.print("Held up by incidents")
        for incident in incidents {
            context.print("  #\(incident.id) \(incident.kind.rawValue) at \(incident.service), \(context.shownTime(incident.openedAt)) – "
                          + (incident.closedAt.map(context.shownTime) ?? "still open"))
        }
    }
}
