import Interlink
import InterlinkTestSupport
import Testing

/// What every conformance test builds its journal from: sample rows and a fresh fixture
/// per test. The suites in this folder pin the contract of every ``Journal`` method; a
/// backend is done when it passes all of them.
enum Conformance {
    static func snapshot(_ code: String, version: Int = 1, procedure: String = "1.001193", payload: JSONValue? = nil) -> DossierSnapshot {
        DossierSnapshot(code: code, version: version, procedureCode: procedure, updatedAt: "2025-11-20T02:15:03.120Z",
                        payload: payload ?? ["code": .string(code), "version": .number(Double(version))])
    }

    static func transfer(_ code: String, version: Int = 1, step: String = "birth", agency: String = "civil-registry",
                         state: TransferState = .ready) -> NewTransfer {
        NewTransfer(dossierCode: code, dossierVersion: version, step: step, agency: agency, operation: "/births",
                    state: state, idempotencyKey: IdempotencyKeys.transfer(dossierCode: code, version: version, step: step))
    }

    static func event(_ message: String, code: String? = nil, level: LogLevel = .info, at: Int64? = nil) -> NewEvent {
        NewEvent(at: at.map(Timestamp.init(millisecondsSinceEpoch:)) ?? .now(), level: level, kind: .attempt, dossierCode: code, message: message)
    }

    /// Stores dossiers with one transfer each (in the given states) and returns the transfers' ids.
    @discardableResult
    static func seed(_ journal: any Journal, _ rows: [(code: String, step: String, agency: String, state: TransferState)]) async throws -> [Int64] {
        var batch = JournalBatch()
        batch.dossiers = Array(Set(rows.map(\.code))).sorted().map { snapshot($0) }
        batch.newTransfers = rows.map { transfer($0.code, step: $0.step, agency: $0.agency, state: $0.state) }
        return try await journal.apply(batch).transferIDs.map { try #require($0) }
    }

    /// Applies one update.
    static func update(_ journal: any Journal, _ update: TransferUpdate) async throws -> JournalBatchResult {
        var batch = JournalBatch()
        batch.transferUpdates = [update]
        return try await journal.apply(batch)
    }

    /// Runs `body` on a fresh journal of `backend`, closing it after.
    static func with(_ backend: JournalBackend, _ body: (any JournalFixture) async throws -> Void) async throws {
        let fixture = try backend.makeFixture()
        do {
            try await body(fixture)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }
}
