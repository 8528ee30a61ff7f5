@testable import Interlink
import InterlinkTestSupport
import Testing

/// The PostgreSQL journal when several daemons start on an empty database at once, and when
/// the server ends its sessions (a restart, a failover, an administrator): the journal
/// reconnects on its own, with nothing half-written.
@Suite("PostgreSQL journal: starting together, and sessions ended by the server")
struct PostgresReconnectTests {
    /// Regression: `CREATE TABLE IF NOT EXISTS` outside the migration's lock failed one of
    /// several daemons starting together on an empty database (a duplicate pg_type key).
    @Test func daemonsStartingTogetherOnAnEmptyDatabaseMigrateItOnce() async throws {
        let server = try TestPostgres.fromEnvironment()
        for _ in 0..<3 {
            let (conninfo, drop) = try server.freshSchema()
            let config = JournalConfig(backend: .postgres(PostgresJournalConfig(conninfo: conninfo, password: Secret(value: server.password, source: "test"))))
            let opened = await withTaskGroup(of: Result<any Journal, JournalError>.self) { group in
                for _ in 0..<6 { group.addTask { Result { () throws(JournalError) in try JournalFactory.open(config) } } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for result in opened {
                if case .failure(let error) = result { Issue.record("a daemon could not start: \(error)") }
                if case .success(let journal) = result { await journal.close() }
            }
            let versions = try PostgresConnection(conninfo: conninfo, password: server.password).query("SELECT version FROM interlink_schema").rows { $0.int64(0) }
            #expect(versions == [Int64(PostgresMigrations.latestVersion)])
            drop()
        }
    }

    @Test func theJournalReconnectsAfterTheServerEndsItsSessions() async throws {
        let fixture = try PostgresJournalFixture()
        let journal = fixture.journal
        _ = try await Conformance.seed(journal, [("A", "birth", "civil-registry", .ready)])
        for round in 0..<3 {
            try fixture.terminateSessions()
            var batch = JournalBatch()
            batch.events = [Conformance.event("after termination \(round)", code: "A")]
            var failures: [JournalError.Code] = []
            let written = await ChildProcess.waitUntil(timeout: .seconds(30)) {
                do {
                    try await journal.apply(batch)
                    return true
                } catch {
                    failures.append((error as? JournalError)?.code ?? .storage)
                    return false
                }
            }
            #expect(written, "round \(round): \(failures)")
            #expect(failures.allSatisfy { $0 == .unavailable }, "a lost session is reported as unavailable: \(failures)")
        }
        #expect(try await journal.events(EventQuery()).count == 3, "each batch written once")
        #expect(try await journal.latestDossier(code: "A") != nil, "reads work again too")
        #expect(try await AuditChain.verify(journal).firstBreak == nil)
        await fixture.close()
    }

    /// An operator's command opens the journal with one connection (a second SCRAM handshake
    /// was a tenth of its run); writes and reads interleaved from many tasks share it in turn.
    @Test func aJournalOpenedForToolsHoldsOneConnectionForReadsAndWrites() async throws {
        let server = try TestPostgres.fromEnvironment()
        let (conninfo, drop) = try server.freshSchema()
        defer { drop() }
        let config = JournalConfig(backend: .postgres(PostgresJournalConfig(conninfo: conninfo, password: Secret(value: server.password, source: "test"))))
        let name = String(conninfo.split(separator: " ").first { $0.hasPrefix("application_name=") }!.dropFirst("application_name=".count))
        let sessions = { () throws -> Int64 in
            try PostgresConnection(conninfo: server.conninfo, password: server.password)
                .query("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", [.text(name)]).rows { $0.int64(0) }.first ?? -1
        }
        // The daemon migrates the schema, as it does before any tool runs; it reads while it writes: two connections.
        let daemon = try JournalFactory.open(config)
        #expect(try sessions() == 2)
        let tool = try JournalFactory.open(config, access: .existingOrReadOnly)
        #expect(try sessions() == 3, "the tool adds its one connection")
        _ = try await Conformance.seed(tool, [("T", "birth", "civil-registry", .ready)])
        let before = try await tool.events(EventQuery()).count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<20 {
                group.addTask {
                    var batch = JournalBatch()
                    batch.events = [Conformance.event("interleaved \(round)", code: "T")]
                    try await tool.apply(batch)
                    _ = try await tool.events(EventQuery())
                }
            }
            try await group.waitForAll()
        }
        #expect(try await tool.events(EventQuery()).count == before + 20)
        #expect(try sessions() == 3, "and used no other")
        await tool.close()
        await daemon.close()
    }

    /// JIT compiled a listing's query for 10 to 70 ms when the planner's estimate crossed
    /// `jit_above_cost`; the journal's sessions turn it off, whatever the server's default.
    @Test func journalSessionsRunWithoutJIT() throws {
        let server = try TestPostgres.fromEnvironment()
        for connection in [try PostgresConnection(conninfo: server.conninfo, password: server.password),
                           try PostgresConnection(pipelinedTo: server.conninfo, password: server.password)] {
            #expect(try connection.query("SHOW jit").rows { $0.string(0) } == ["off"])
        }
    }
}
