import Foundation
@testable import Interlink
import InterlinkTestSupport
import Testing

@Suite("SQLite journal: what only the SQLite backend promises")
struct SQLiteJournalTests {
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
        let journal = try JournalFactory.open(.sqlite(path: directory.file("journal.sqlite")))
        await journal.close()
        let connection = try SQLiteConnection(path: directory.file("journal.sqlite"))
        #expect(try connection.scalarInt("PRAGMA user_version") == Int64(SQLiteMigrations.latestVersion) && SQLiteMigrations.latestVersion == 15)
        let mode = try connection.prepare("PRAGMA journal_mode")
        #expect(try mode.step() && mode.string(0) == "wal")
        #expect(try connection.scalarInt("PRAGMA synchronous") == 2)
    }

    /// Operators' tools open the journal the daemon writes; they never create an empty one.
    @Test func aMissingFileIsNotCreatedForOperatorsTools() throws {
        let directory = try TemporaryDirectory()
        let config = JournalConfig.sqlite(path: directory.file("absent/journal.sqlite"))
        #expect { try JournalFactory.open(config, access: .existing) } throws: { ($0 as? JournalError)?.code == .missing }
        #expect(!FileManager.default.fileExists(atPath: directory.file("absent")))
    }

    /// Busy, full, corrupt and read-only are told apart, each with what to do.
    @Test(arguments: [(Int32(5), JournalError.Code.busy), (13, .full), (11, .corrupt), (26, .corrupt), (8, .readOnly), (14, .readOnly), (19, .storage)])
    func sqliteFailuresMapToTheJournalsKinds(code: Int32, expected: JournalError.Code) {
        let error = JournalError(SQLiteError(code: code, message: "m", sql: nil, path: "/j"))
        #expect(error.code == expected)
    }

    @Test func aCorruptFileIsRefusedAsCorrupt() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("journal.sqlite", String(repeating: "not a database ", count: 100))
        #expect { try JournalFactory.open(.sqlite(path: directory.file("journal.sqlite"))) } throws: { error in
            (error as? JournalError)?.code == .corrupt && "\(error)".contains("restore it from backup")
        }
    }

    /// A real writer process is killed with SIGKILL inside an open transaction; the journal
    /// must reopen with every committed row and none of the uncommitted ones.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func reopensCleanlyAfterAWriterIsKilledMidTransaction() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        var committed = JournalBatch()
        committed.dossiers = [Self.snapshot("COMMITTED")]
        let journal = try JournalFactory.open(.sqlite(path: path))
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
        // The child holds its transaction open until its stdin closes; it is SIGKILLed first.
        let input = try closeOnExecPipe(), output = try closeOnExecPipe()
        defer { for descriptor in [input[1], output[0]] { close(descriptor) } }
        let pid = try spawnChild(["/usr/bin/python3", "-c", script, path], stdin: .descriptor(input[0]), stdout: .descriptor(output[1]))
        for descriptor in [input[0], output[1]] { close(descriptor) }
        let line = FileBytes.readSome(descriptor: output[0])
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("inside"))
        kill(pid, SIGKILL)
        #expect(waitForChild(pid) == -SIGKILL)

        let reopened = try JournalFactory.open(.sqlite(path: path))
        #expect(try await reopened.dossier(code: "COMMITTED", version: 1)?.outcome == .inProgress)
        #expect(try await reopened.events(EventQuery()).isEmpty)
        await reopened.close()
        let check = try SQLiteConnection(path: path).prepare("PRAGMA integrity_check")
        #expect(try check.step() && check.string(0) == "ok")
    }
}

@Suite("SQLite journal: a purge leaves no stale copy")
struct SQLitePurgeScrubTests {
    /// Rows that grow as results arrive, then are erased: SQLite moves rows between pages
    /// when they no longer fit, leaving old copies in the pages' unused space, which
    /// `secure_delete` never zeroes. So erasing alone leaves some values in the file; the
    /// scrub's rewrite leaves none. (The rows sit in a table of their own beside the
    /// journal's, so the scenario stays fixed while the journal's schema changes.)
    @Test func rebalancedCopiesOfErasedRowsLeaveWithTheScrub() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("journal.sqlite")
        let journal = try JournalFactory.open(.sqlite(path: path))
        let count = 1_000
        let canaries = (0..<count).map { String(format: "CANARY%06dX", $0) }
        let connection = try SQLiteConnection(path: path)
        try connection.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, code TEXT, state TEXT, result TEXT)")
        let insert = try connection.prepare("INSERT INTO scratch (code, state) VALUES (?, 'ready')")
        let update = try connection.prepare("UPDATE scratch SET state = 'completed', result = ? WHERE id = ?")
        try connection.transaction { () throws(SQLiteError) in
            for index in 0..<count { try insert.run([.text("S\(index)")]) }
            // As agencies answer: in no particular order, twice, each result a different size.
            for round in 0..<2 {
                for step in 0..<count {
                    let index = (step * 7_919 + round * 13) % count
                    let result = #"{"certificateNo":"\#(canaries[index])","note":"\#(String(repeating: "n", count: 150 + (index + round) % 7 * 60))"}"#
                    try update.run([.text(result), .integer(Int64(index + 1))])
                }
            }
            try connection.execute("UPDATE scratch SET result = NULL")
        }
        _ = try connection.scalarInt("PRAGMA wal_checkpoint(TRUNCATE)")
        let leftByErasing = Self.found(canaries, in: path)
        #expect(!leftByErasing.isEmpty, "erasing no longer leaves stale copies here: the scenario tests nothing")

        #expect(await Retention.scrub(journal))
        await journal.close()
        let left = Self.found(canaries, in: path)
        #expect(left.isEmpty, "\(left.count) erased values left, e.g. \(left.prefix(3))")
    }

    /// One pass over each file for the canaries' shared prefix: searching each of the
    /// thousand canaries separately made this test take most of a minute in a debug build.
    static func found(_ canaries: [String], in path: String) -> [String] {
        let wanted = Set(canaries)
        let prefix = Array("CANARY".utf8)
        let length = canaries.first?.utf8.count ?? 0
        var found = Set<String>()
        for suffix in ["", "-wal"] {
            let bytes = FileBytes.read(path + suffix) ?? []
            var start = bytes.startIndex
            while let range = bytes[start...].firstRange(of: prefix) {
                let end = range.lowerBound + length
                if end <= bytes.endIndex {
                    let candidate = String(decoding: bytes[range.lowerBound..<end], as: UTF8.self)
                    if wanted.contains(candidate) { found.insert(candidate) }
                }
                start = range.upperBound
            }
        }
        return found.sorted()
    }
}
