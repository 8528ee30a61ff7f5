import Interlink
import InterlinkTestSupport
import Testing

@Suite("JournalConformance: deadlines and incidents")
struct JournalConformanceDeadlineTests {
    static func at(_ minutes: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: 1_800_000_000_000 + minutes * 60_000) }

    static func row(_ code: String, step: String? = nil, due: Int64) -> DeadlineRecord {
        DeadlineRecord(dossierCode: code, step: step, route: "birth-group", agency: step == nil ? nil : "insurance", startsAt: at(0), dueAt: at(due))
    }

    @Test(arguments: JournalBackend.all)
    func aDeadlineKeepsItsFirstClockAndIsMarkedOnce(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            var plan = JournalBatch()
            plan.deadlines = [Self.row("A", due: 10), Self.row("A", step: "health-card", due: 5), Self.row("B", due: 20), Self.row("C", due: 30)]
            try await journal.apply(plan)
            var again = JournalBatch()
            again.deadlines = [Self.row("A", due: 99)]
            try await journal.apply(again)
            #expect(try await journal.deadlines(dossierCode: "A").map(\.dueAt) == [Self.at(5), Self.at(10)], "a new version does not restart the clock")
            #expect(try await journal.deadlines(dossierCode: "A").first?.agency == "insurance")
            #expect(try await journal.openDeadlines(dueBy: Self.at(20), groupsOnly: false, limit: 10).deadlines.map(\.dossierCode) == ["A", "A", "B"])

            // Two daemons find A late at once: one marks it, and only its event is kept.
            let other = try fixture.reopen()
            let results = try await withThrowingTaskGroup(of: JournalBatchResult.self) { group in
                for writer in [journal, other] {
                    group.addTask {
                        var late = JournalBatch()
                        late.deadlineMarks = [.overdue(dossierCode: "A", step: nil)]
                        late.events = [NewEvent(level: .warning, kind: .deadline, dossierCode: "A", message: "dossier overdue")]
                        return try await writer.apply(late)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.map { $0.deadlineMarked == [true] ? 1 : 0 }.reduce(0, +) == 1)
            #expect(try await journal.events(EventQuery(dossierCode: "A")).filter { $0.event.kind == .deadline }.count == 1)
            var done = JournalBatch()
            done.deadlineMarks = [.settled(dossierCode: "A", step: nil), .settled(dossierCode: "A", step: "health-card")]
            try await journal.apply(done)
            #expect(try await journal.openDeadlines(dueBy: Self.at(20), groupsOnly: false, limit: 10).deadlines.map(\.dossierCode) == ["B"])
            let settled = try await journal.deadlines(dossierCode: "A")
            #expect(settled.allSatisfy { $0.settledAt != nil } && settled.last?.overdueAt != nil)
            await other.close()
        }
    }

    @Test(arguments: JournalBackend.all)
    func anIncidentOpensAndClosesOnceForEveryWriterAndCountsWhatItHeldUp(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            let journal = fixture.journal
            _ = try await Conformance.seed(journal, [("A", "health-card", "insurance", .retrying), ("B", "health-card", "insurance", .ready),
                                                     ("C", "birth", "civil-registry", .ready)])
            let other = try fixture.reopen()
            func race(_ change: IncidentChange) async throws {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in [journal, other, journal, other] {
                        group.addTask {
                            var batch = JournalBatch()
                            batch.incidents = [change]
                            try await writer.apply(batch)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            try await race(.open(service: "insurance", kind: .circuitOpen, error: "HTTP 503"))
            var failure = JournalBatch()
            failure.incidents = [.failure(service: "insurance", kind: .circuitOpen, error: "connection refused")]
            try await journal.apply(failure)
            let open = try await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)
            #expect(open.count == 1 && open.first?.attempts == 2 && open.first?.firstError == "HTTP 503" && open.first?.lastError == "connection refused")
            try await race(.close(service: "insurance", kind: .circuitOpen))
            #expect(try await journal.incidents(openOnly: true, dossierCode: nil, limit: 10).isEmpty)
            let closed = try #require(try await journal.incidents(openOnly: false, dossierCode: nil, limit: 10).first)
            #expect(closed.closedAt != nil && closed.dossiers == 2, "A and B waited for insurance; C did not")
            #expect(try await journal.incidents(openOnly: false, dossierCode: "B", limit: 10).map(\.id) == [closed.id])
            #expect(try await journal.incidents(openOnly: false, dossierCode: "C", limit: 10).isEmpty)
            let events = try await journal.events(EventQuery()).filter { $0.event.kind == .incident }.map(\.event.message)
            #expect(events.count == 2 && events[0].hasPrefix("incident #\(closed.id) opened") && events[1].hasPrefix("incident #\(closed.id) closed"), "\(events) \(closed.id)")
            // After it closed, the next outage is a new incident.
            try await race(.open(service: "insurance", kind: .circuitOpen, error: "HTTP 502"))
            #expect(try await journal.incidents(openOnly: false, dossierCode: nil, limit: 10).count == 2)
            await other.close()
        }
    }
}
