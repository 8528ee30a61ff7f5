@testable import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

/// Schema 15 made `writebacks` an ordinary rowid table: without a rowid, a write-back with its
/// body spilled to an overflow page of its own, rewritten at every claim and every sent mark.
@Suite("SQLite journal: write-backs in a rowid table")
struct SQLiteWritebackTableTests {
    /// A journal at schema 14 (write-backs without a rowid) keeps every write-back, column for
    /// column, when it migrates; its counts stay right, and a write-back queued afterwards is
    /// counted by the triggers the migration made again.
    @Test func aJournalAtSchema14KeepsEveryWriteBackWhenItMigrates() async throws {
        let fixture = try SQLiteJournalFixture()
        var expected = try await JournalConformanceCountTests.randomChanges(fixture.journal, rounds: 4, seed: 11)
        await fixture.journal.close()
        #expect(!expected.writeBacks.isEmpty)
        try fixture.execute(SQLiteMigrations.rebuildWritebacks(rowid: false) + TallySQL.sqliteWritebackTriggers)
        try fixture.setSchemaVersion(14)
        let before = try Self.rows(fixture.path)
        #expect(try Self.tableSQL(fixture.path).contains("WITHOUT ROWID"))

        let migrated = try fixture.reopen()
        #expect(try Self.rows(fixture.path) == before)
        #expect(try !Self.tableSQL(fixture.path).contains("WITHOUT ROWID"))
        try await JournalConformanceCountTests.expectCounts(migrated, expected)

        var random = SeededGenerator(seed: 12)
        try await JournalConformanceCountTests.applyRandomChanges(migrated, round: 4, random: &random, expected: &expected)
        try await JournalConformanceCountTests.expectCounts(migrated, expected)
        await migrated.close()
    }

    /// A write-back of a few kilobytes sits in its table's leaf pages: none spills.
    @Test func aWriteBackWithItsBodyNeedsNoOverflowPage() async throws {
        let fixture = try SQLiteJournalFixture()
        _ = try await JournalConformanceCountTests.randomChanges(fixture.journal, rounds: 2, seed: 3)
        try fixture.execute("UPDATE writebacks SET body = '{\"note\":\"' || hex(zeroblob(900)) || '\"}'")
        await fixture.journal.close()
        let connection = try SQLiteConnection(path: fixture.path)
        #expect(try connection.scalarInt("SELECT COUNT(*) FROM writebacks WHERE length(body) > 1800") ?? 0 > 0)
        let overflow = try connection.prepare("SELECT COUNT(*) FROM dbstat WHERE name = 'writebacks' AND pagetype = 'overflow'")
        #expect(try overflow.step() && overflow.int64(0) == 0)
    }

    /// Every write-back, every column, in key order.
    static func rows(_ path: String) throws -> [[SQLValue]] {
        let connection = try SQLiteConnection(path: path)
        let columns = "dossier_code, target, dossier_version, sequence, outcome, idempotency_key, state, attempts, "
            + "next_attempt_at, first_attempt_at, last_error, updated_at, claimed_by, claim_token, body"
        return try connection.prepare("SELECT \(columns) FROM writebacks ORDER BY dossier_code, target").rows { row in
            (0..<15).map { row.value(Int32($0)) }
        }
    }

    static func tableSQL(_ path: String) throws -> String {
        let statement = try SQLiteConnection(path: path).prepare("SELECT sql FROM sqlite_schema WHERE name = 'writebacks'")
        return try statement.step() ? statement.string(0) : ""
    }
}
