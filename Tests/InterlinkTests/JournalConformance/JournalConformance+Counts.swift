import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

/// The counts `status` and `/metrics` read are kept by triggers as rows change, not counted
/// at each read. These tests drive a random mix of changes and compare the kept counts with
/// what the changes imply, and check that a journal from before the counts gets them right.
@Suite("JournalConformance: counts kept as rows change")
struct JournalConformanceCountTests {
    /// What the changes applied so far imply.
    struct Expected {
        var newest: [String: (version: Int, outcomes: [Int: DossierOutcome])] = [:]
        var transfers: [Int64: (agency: String, state: TransferState)] = [:]
        var writeBacks: [String: (state: WriteBackState, attempts: Int)] = [:]

        var dossierCounts: [DossierOutcome: Int] {
            newest.values.reduce(into: [:]) { counts, dossier in counts[dossier.outcomes[dossier.version] ?? .inProgress, default: 0] += 1 }
        }
        var transferCounts: [String: [TransferState: Int]] {
            transfers.values.reduce(into: [:]) { counts, transfer in counts[transfer.agency, default: [:]][transfer.state, default: 0] += 1 }
        }
    }

    @Test(arguments: JournalBackend.all)
    func keptCountsMatchEveryChangeInARandomMix(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            try await Self.expectCounts(fixture.journal, try await Self.randomChanges(fixture.journal, rounds: 12, seed: 18))
        }
    }

    /// A journal written before the counts existed (SQLite's schema 13, PostgreSQL's 7) is
    /// counted when it migrates.
    @Test(arguments: JournalBackend.all)
    func aJournalFromBeforeTheCountsIsCountedWhenItMigrates(backend: JournalBackend) async throws {
        try await Conformance.with(backend) { fixture throws in
            var expected = try await Self.randomChanges(fixture.journal, rounds: 4, seed: 7)
            await fixture.journal.close()
            if backend == .sqlite {
                let triggers = ["transfers", "writebacks", "dossiers"].flatMap { table in ["insert", "update", "delete"].map { "\(table)_tally_\($0)" } }
                try fixture.execute("DROP TABLE tallies; " + triggers.map { "DROP TRIGGER \($0);" }.joined(separator: " "))
            } else {
                try fixture.execute("DROP TABLE tallies; DROP FUNCTION transfers_tally, writebacks_tally, dossiers_tally, interlink_tally CASCADE")
            }
            try fixture.setSchemaVersion(backend == .sqlite ? 13 : 7)
            let migrated = try fixture.reopen()
            try await Self.expectCounts(migrated, expected)
            // And the triggers are back: a new dossier is counted.
            var batch = JournalBatch()
            batch.dossiers = [Conformance.snapshot("NEW")]
            try await migrated.apply(batch)
            expected.newest["NEW"] = (1, [:])
            try await Self.expectCounts(migrated, expected)
            await migrated.close()
        }
    }

    /// `rounds` of random changes from `seed`, and what they imply.
    static func randomChanges(_ journal: any Journal, rounds: Int, seed: UInt64) async throws -> Expected {
        var random = SeededGenerator(seed: seed)
        var expected = Expected()
        for round in 0..<rounds { try await applyRandomChanges(journal, round: round, random: &random, expected: &expected) }
        return expected
    }

    static func expectCounts(_ journal: any Journal, _ expected: Expected) async throws {
        #expect(try await journal.dossierCounts() == expected.dossierCounts)
        #expect(try await journal.transferCounts().byAgency == expected.transferCounts)
        let writeBacks = try await journal.writeBackCounts()
        let states = expected.writeBacks.values
        #expect(writeBacks.pending == states.filter { $0.state == .pending && $0.attempts == 0 }.count)
        #expect(writeBacks.retrying == states.filter { $0.state == .pending && $0.attempts > 0 }.count)
        #expect(writeBacks.dead == states.filter { $0.state == .dead }.count && writeBacks.sent == states.filter { $0.state == .sent }.count)
    }

    /// New dossiers and versions (a new version supersedes the newest), outcomes on newest and
    /// older versions, transfers created and moved between states, write-backs queued and
    /// sent, retried or given up.
    static func applyRandomChanges(_ journal: any Journal, round: Int, random: inout SeededGenerator, expected: inout Expected) async throws {
        var batch = JournalBatch()
        for index in 0..<5 {
            let code = "D\(round)-\(index)"
            batch.dossiers.append(Conformance.snapshot(code))
            expected.newest[code] = (1, [:])
        }
        let known = expected.newest.keys.sorted()
        for code in known.shuffled(using: &random).prefix(3) where !batch.dossiers.contains(where: { $0.code == code }) {
            let version = expected.newest[code]!.version + 1
            batch.dossiers.append(Conformance.snapshot(code, version: version))
            expected.newest[code]!.version = version
        }
        try await journal.apply(batch)

        var outcomes = JournalBatch()
        for code in known.shuffled(using: &random).prefix(6) {
            let version = Int.random(in: 1...expected.newest[code]!.version, using: &random)
            let outcome = [DossierOutcome.completed, .failed, .needsReview, .cancelled].randomElement(using: &random)!
            outcomes.outcomes.append(OutcomeChange(dossierCode: code, dossierVersion: version, outcome: outcome))
            expected.newest[code]!.outcomes[version] = outcome
        }
        let fresh = (0..<5).map { "D\(round)-\($0)" }
        let agencies = ["civil-registry", "land", "insurance"]
        outcomes.newTransfers = fresh.map { Conformance.transfer($0, step: "step", agency: agencies.randomElement(using: &random)!) }
        outcomes.writeBacks = fresh.prefix(3).map { WriteBackRequest(dossierCode: $0, dossierVersion: 1, outcome: .completed, body: "{}") }
        let ids = try await journal.apply(outcomes).transferIDs.map { try #require($0) }
        for (id, transfer) in zip(ids, outcomes.newTransfers) { expected.transfers[id] = (transfer.agency, .ready) }
        for code in fresh.prefix(3) { expected.writeBacks[code] = (.pending, 0) }

        var moves = JournalBatch()
        for id in expected.transfers.keys.sorted().shuffled(using: &random).prefix(6) {
            let state = TransferState.allCases.randomElement(using: &random)!
            moves.transferUpdates.append(TransferUpdate(id: id, state: state))
            expected.transfers[id]!.state = state
        }
        for code in expected.writeBacks.keys.sorted().shuffled(using: &random).prefix(2) {
            let state = [WriteBackState.pending, .sent, .dead].randomElement(using: &random)!
            let attempts = expected.writeBacks[code]!.attempts + 1
            moves.writeBackUpdates.append(WriteBackUpdate(dossierCode: code, sequence: 1, state: state, attempts: attempts,
                                                          nextAttemptAt: .now(), firstAttemptAt: .now(), lastError: nil))
            expected.writeBacks[code] = (state, attempts)
        }
        try await journal.apply(moves)
    }
}
