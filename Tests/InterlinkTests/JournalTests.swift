import Foundation
import Interlink
import InterlinkTestSupport
import Testing

@Suite("SQLite journal")
struct JournalTests {
    static func snapshot(_ code: String, version: Int = 1) -> DossierSnapshot {
        DossierSnapshot(code: code, version: version, procedureCode: "1.001193", updatedAt: "2025-11-20T02:15:03.120Z",
                        payload: ["code": .string(code), "version": .number(Double(version))])
    }

    static func transfer(_ code: String, step: String = "birth", state: TransferState = .ready) -> NewTransfer {
        NewTransfer(dossierCode: code, dossierVersion: 1, step: step, agency: "civil-registry", operation: "/births",
                    state: state, idempotencyKey: "\(code)/1/\(step)")
    }

    @Test func createsTheSchemaInWALMode() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        await journal.close()
        let connection = try SQLiteConnection(path: directory.file("journal.sqlite"))
        #expect(try connection.scalarInt("PRAGMA user_version") == 4)
        let mode = try connection.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.string(0) == "wal")
        #expect(try connection.scalarInt("PRAGMA synchronous") == 2)
    }

    @Test func refusesASchemaNewerThanTheBinary() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.file("journal.sqlite"))
        try connection.execute("PRAGMA user_version = 99")
        #expect {
            try SQLiteJournal(path: directory.file("journal.sqlite"))
        } throws: { error in
            guard let error = error as? JournalError else { return false }
            return error.code == .schemaTooNew && error.description.contains("upgrade Interlink")
        }
    }

    @Test func storesDossiersOncePerVersionWithTheCursorInOneBatch() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        var batch = JournalBatch()
        batch.dossiers = [Self.snapshot("A"), Self.snapshot("B")]
        batch.cursor = RegisterCursor(updatedSince: "2025-11-20T02:15:03.120Z", afterCode: "B")
        #expect(try await journal.apply(batch).dossierInserted == [true, true])
        batch.dossiers = [Self.snapshot("A"), Self.snapshot("A", version: 2)]
        #expect(try await journal.apply(batch).dossierInserted == [false, true])
        #expect(try await journal.cursor()?.afterCode == "B")
        #expect(try await journal.latestDossier(code: "A")?.snapshot.version == 2)
        #expect(try await journal.dossier(code: "A", version: 1)?.snapshot.payload["code"] == "A")
        await journal.close()
    }

    @Test func tracksTransfersAndRefusesStaleStateChanges() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        var batch = JournalBatch()
        batch.dossiers = [Self.snapshot("A")]
        batch.newTransfers = [Self.transfer("A"), Self.transfer("A", step: "health-card", state: .waiting)]
        let ids = try await journal.apply(batch).transferIDs.compactMap { $0 }
        #expect(ids.count == 2)
        // The same step again is ignored, so planning twice after a crash creates nothing.
        var again = JournalBatch()
        again.newTransfers = [Self.transfer("A")]
        #expect(try await journal.apply(again).transferIDs == [nil])

        var sending = TransferUpdate(id: ids[0], state: .sending, expectedState: .ready)
        sending.attempts = 1
        sending.firstAttemptAt = .some(Timestamp(millisecondsSinceEpoch: 1_000))
        var update = JournalBatch()
        update.transferUpdates = [sending]
        update.events = [NewEvent(kind: .transferState, dossierCode: "A", step: "birth", transferID: ids[0], message: "ready → sending")]
        #expect(try await journal.apply(update).staleUpdates.isEmpty)
        // A second writer expecting `ready` loses: the transfer is already `sending`.
        #expect(try await journal.apply(update).staleUpdates == [ids[0]])

        let record = try #require(try await journal.transfer(id: ids[0]))
        #expect(record.state == .sending && record.attempts == 1 && record.idempotencyKey == "A/1/birth")
        let due = try await journal.transfers(TransferQuery(states: [.ready, .waiting], dueBy: .now()))
        #expect(due.map(\.step) == ["health-card"])
        let counts = try await journal.transferCounts()
        #expect(counts.byAgency["civil-registry"]?[.sending] == 1)
        #expect(counts.byAgency["civil-registry"]?[.waiting] == 1)
        await journal.close()
    }

    /// A new dossier version replaces a pending step only if that step was still pending: one
    /// claimed for sending in the meantime must not get a twin under another key.
    @Test func createsAReplacementOnlyWhenTheReplacedTransferWasCancelled() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        var first = JournalBatch()
        first.dossiers = [Self.snapshot("A"), Self.snapshot("A", version: 2)]
        first.newTransfers = [Self.transfer("A")]
        let old = try #require(try await journal.apply(first).transferIDs.first ?? nil)
        var claim = JournalBatch()
        claim.transferUpdates = [TransferUpdate(id: old, state: .sending, expectedState: .ready)]
        try await journal.apply(claim)

        var plan = JournalBatch()
        plan.transferUpdates = [TransferUpdate(id: old, state: .cancelled, expectedState: .ready)]
        var replacement = NewTransfer(dossierCode: "A", dossierVersion: 2, step: "birth", agency: "civil-registry", operation: "/births",
                                      state: .ready, idempotencyKey: "A/2/birth")
        replacement.replaces = old
        plan.newTransfers = [replacement]
        let result = try await journal.apply(plan)
        #expect(result.staleUpdates == [old])
        #expect(result.transferIDs == [nil])
        #expect(try await journal.transfers(TransferQuery(states: [], dossierCode: "A")).map(\.state) == [.sending])
        await journal.close()
    }

    @Test func groupCommitsConcurrentBatchesAndIsolatesAFailingOne() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask {
                    var batch = JournalBatch()
                    if index == 77 {
                        // A transfer for a dossier that was never stored breaks the foreign key.
                        batch.newTransfers = [Self.transfer("ghost")]
                    } else {
                        batch.dossiers = [Self.snapshot("D\(index)")]
                        batch.newTransfers = [Self.transfer("D\(index)")]
                    }
                    batch.events = [NewEvent(kind: .dossierSeen, dossierCode: "D\(index)", message: "seen")]
                    return (try? await journal.apply(batch)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 199)
        let events = try await journal.events(EventQuery(limit: 1_000))
        #expect(events.count == 199)
        #expect(Set(events.map(\.sequence)).count == 199)
        await journal.close()
        await #expect { try await journal.apply(JournalBatch()) } throws: { ($0 as? JournalError)?.code == .closed }
    }

    @Test func filtersEventsLikeTheSyncLog() async throws {
        let directory = try TemporaryDirectory()
        let journal = try SQLiteJournal(path: directory.file("journal.sqlite"))
        var batch = JournalBatch()
        for (index, level) in [LogLevel.info, .warning, .error, .debug].enumerated() {
            batch.events.append(NewEvent(at: Timestamp(millisecondsSinceEpoch: Int64(index) * 1_000), level: level, kind: .attempt,
                                         dossierCode: index % 2 == 0 ? "A" : "B", agency: index < 2 ? "land" : "insurance",
                                         message: "event \(index)", detail: ["i": .number(Double(index))]))
        }
        try await journal.apply(batch)
        #expect(try await journal.events(EventQuery(dossierCode: "A")).map(\.event.message) == ["event 0", "event 2"])
        #expect(try await journal.events(EventQuery(agency: "land")).count == 2)
        #expect(try await journal.events(EventQuery(minimumLevel: .warning)).map(\.event.level) == [.warning, .error])
        #expect(try await journal.events(EventQuery(since: Timestamp(millisecondsSinceEpoch: 1_000),
                                                    until: Timestamp(millisecondsSinceEpoch: 2_000))).count == 2)
        let last = try await journal.events(EventQuery(limit: 1))
        #expect(last.map(\.event.message) == ["event 3"])
        #expect(try await journal.events(EventQuery(afterSequence: last[0].sequence)).isEmpty)
        #expect(last.first?.event.detail?["i"] == 3)
        await journal.close()
    }

    /// A real writer process is killed with SIGKILL inside an open transaction; the journal
    /// must reopen with every committed row and none of the uncommitted ones.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func reopensCleanlyAfterAWriterIsKilledMidTransaction() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        var committed = JournalBatch()
        committed.dossiers = [Self.snapshot("COMMITTED")]
        let journal = try SQLiteJournal(path: path)
        try await journal.apply(committed)
        await journal.close()

        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")
            for i in range(5000):
                db.execute("INSERT INTO events (at, level, kind, message) VALUES (?, 'info', 'daemon', 'uncommitted')", (i,))
            db.execute("UPDATE dossiers SET outcome = 'failed'")
            print("inside", flush=True)
            sys.stdin.read()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let line = stdout.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("inside"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let reopened = try SQLiteJournal(path: path)
        #expect(try await reopened.dossier(code: "COMMITTED", version: 1)?.outcome == .inProgress)
        #expect(try await reopened.events(EventQuery()).isEmpty)
        await reopened.close()
        let check = try SQLiteConnection(path: path).prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.string(0) == "ok")
    }
}
