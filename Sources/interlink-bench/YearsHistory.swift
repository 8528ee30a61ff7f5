import Foundation
import Interlink

/// Years of a province's traffic as a daemon leaves them in its journal, built through the
/// journal API in large batches: dossiers in every outcome, with their payloads, transfers
/// (results, receipts, rejections), ten events each, write-backs the register stored,
/// deadlines (the finished ones settled), and the older finished ones already purged as
/// retention would have.
enum YearsHistory {
    static let eventsPerDossier = 10
    /// The share of dossiers (the oldest) whose personal data retention has already purged.
    static let purgedShare = 0.7
    /// The newest dossiers, still unfinished in every way a dossier can be: the older ones were
    /// replayed, reviewed or withdrawn since, as a province's staff do. The work in flight is
    /// set by the daily intake, not by the years behind it, so it is the same for any N.
    static let recentDossiers = 2_000
    private static let dossiersPerBatch = 2_000

    /// What the history holds, for the printout.
    struct Shape {
        var dossiers = 0
        var transfers = 0
        var events = 0
        var writeBacks = 0
        var purged = 0
    }

    /// Appends `dossiers` dossiers spread over the three years before now; `progress` hears
    /// how many are written after each batch. Codes start with "Y" so no simulated
    /// register's code collides with them.
    static func build(dossiers: Int, into journal: any Journal, progress: (Int) -> Void) async throws -> Shape {
        let threeYearsMs: Int64 = 3 * 365 * 86_400_000
        let start = Timestamp.now().millisecondsSinceEpoch - threeYearsMs - 30 * 86_400_000
        let spacing = max(1, threeYearsMs / Int64(max(1, dossiers)))
        var shape = Shape()
        var batch = JournalBatch()
        for index in 0..<dossiers {
            let at = Timestamp(millisecondsSinceEpoch: start + Int64(index) * spacing)
            add(index: index, at: at, purge: Double(index) < Double(dossiers) * purgedShare, recent: index >= dossiers - recentDossiers,
                to: &batch, shape: &shape)
            if (index + 1) % dossiersPerBatch == 0 || index == dossiers - 1 {
                try await journal.apply(batch)
                batch = JournalBatch()
                progress(index + 1)
            }
        }
        return shape
    }

    /// One dossier's rows, by the outcome `index` picks: 80% completed, and among the `recent`
    /// every other outcome; older ones that failed or were held were finished since.
    private static func add(index: Int, at: Timestamp, purge: Bool, recent: Bool, to batch: inout JournalBatch, shape: inout Shape) {
        let code = String(format: "Y%07d", index)
        let outcome: DossierOutcome = switch index % 100 {
        case 0..<80: .completed
        case 80..<85: .cancelled
        case 85..<89: recent ? .failed : .completed
        case 89..<93: recent ? .needsReview : .completed
        case 93..<96: .notRouted
        default: recent ? .supplementRequested : .cancelled
        }
        let personalID = String(format: "0791%08d", index)
        let payload: JSONValue = [
            "code": .string(code), "procedureCode": "1.001193",
            "applicant": ["fullName": .string("Nguyễn Thị Mai \(index)"), "personalId": .string(personalID), "phone": .string(String(format: "09%08d", index)),
                          "address": "Số 12, đường Lê Lợi, phường Bến Thành, Quận 1, TP. Hồ Chí Minh"],
            "form": ["child": ["fullName": .string("Trần Minh Khang \(index)"), "dateOfBirth": "2025-11-14", "gender": "male",
                               "placeOfBirth": "Bệnh viện Từ Dũ"],
                     "father": ["fullName": "Trần Văn Hùng", "personalId": .string(String(format: "0798%08d", index))],
                     "mother": ["fullName": .string("Nguyễn Thị Mai \(index)"), "personalId": .string(personalID)]],
        ]
        batch.dossiers.append(DossierSnapshot(code: code, version: 1, procedureCode: "1.001193", updatedAt: at.description, payload: payload))
        let key = DossierKey(code: code, version: 1)
        batch.plannedDossiers.append(key)
        shape.dossiers += 1
        var events = [NewEvent(at: at, kind: .dossierSeen, dossierCode: code, dossierVersion: 1, message: "dossier seen: procedure 1.001193")]
        if outcome != .notRouted {
            for (offset, (step, agency)) in [("birth", "civil-registry"), ("health-card", "insurance")].enumerated() {
                let state: TransferState = switch outcome {
                case .cancelled: .cancelled
                case .failed where offset == 1: .dead
                case .supplementRequested where offset == 1: .rejected
                default: .completed
                }
                var transfer = NewTransfer(dossierCode: code, dossierVersion: 1, step: step, agency: agency, operation: "/\(step)",
                                           state: state, idempotencyKey: IdempotencyKeys.transfer(dossierCode: code, version: 1, step: step))
                if state != .dead { transfer.receipt = String(format: "R-%@-%07d", step, index) }
                if state == .completed {
                    transfer.result = offset == 0 ? ["personalId": .string(String(format: "0792%08d", index)), "certificateNo": .string(String(format: "KS-%07d", index))]
                        : ["cardNo": .string(String(format: "TE1%012d", index)), "holderName": .string("Trần Minh Khang \(index)")]
                }
                batch.newTransfers.append(transfer)
                shape.transfers += 1
                let stepAt = at.adding(milliseconds: Int64(offset + 1) * 60_000)
                events += [NewEvent(at: stepAt, kind: .transferCreated, dossierCode: code, dossierVersion: 1, step: step, agency: agency, message: "transfer planned"),
                           NewEvent(at: stepAt.adding(milliseconds: 200), kind: .attempt, dossierCode: code, dossierVersion: 1, step: step, agency: agency,
                                    message: "attempt 1 answered 202", detail: ["httpStatus": 202, "durationMs": 40]),
                           NewEvent(at: stepAt.adding(milliseconds: 86_400_000), level: state == .rejected ? .warning : .info, kind: .decision,
                                    dossierCode: code, dossierVersion: 1, step: step, agency: agency, message: "the agency decided: \(state.rawValue)")]
            }
        }
        let reasons: JSONValue? = outcome == .failed || outcome == .supplementRequested ? [["code": "document-missing", "message": "thiếu giấy chứng sinh"]] : nil
        batch.outcomes.append(OutcomeChange(dossierCode: code, dossierVersion: 1, outcome: outcome, reasons: reasons))
        let decidedAt = at.adding(milliseconds: 2 * 86_400_000)
        events.append(NewEvent(at: decidedAt, kind: .outcome, dossierCode: code, dossierVersion: 1, message: "outcome: \(outcome.rawValue)"))
        if outcome.registerOutcome != nil {
            batch.writeBacks.append(WriteBackRequest(dossierCode: code, dossierVersion: 1, outcome: outcome,
                                                     body: #"{"code":"\#(code)","status":"\#(outcome.rawValue)","personalId":"\#(personalID)"}"#))
            batch.writeBackUpdates.append(WriteBackUpdate(dossierCode: code, sequence: 1, state: .sent, attempts: 1, nextAttemptAt: nil,
                                                          firstAttemptAt: decidedAt, lastError: nil))
            shape.writeBacks += 1
            events.append(NewEvent(at: decidedAt.adding(milliseconds: 500), kind: .writeBack, dossierCode: code, dossierVersion: 1, message: "write-back stored by the register"))
        }
        batch.deadlines.append(DeadlineRecord(dossierCode: code, step: nil, route: "birth", agency: nil, startsAt: at,
                                              dueAt: at.adding(milliseconds: 5 * 86_400_000)))
        if [.completed, .cancelled, .notRouted].contains(outcome) { batch.deadlineMarks.append(.settled(dossierCode: code, step: nil)) }
        // Pad to the shape's ten events a dossier with the daemon's routine notes.
        while events.count < eventsPerDossier {
            events.append(NewEvent(at: decidedAt.adding(milliseconds: Int64(events.count)), kind: .transferState, dossierCode: code, dossierVersion: 1,
                                   message: "follow-up answered: no change"))
        }
        batch.events += events
        shape.events += events.count
        if purge && [.completed, .cancelled, .notRouted].contains(outcome) {
            batch.purges.append(key)
            shape.purged += 1
        }
    }
}
