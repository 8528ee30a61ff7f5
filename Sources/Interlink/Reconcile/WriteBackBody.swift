/// Builds the register's interconnection record for a dossier version.
public enum WriteBackBody: Sendable {
    /// The exact bytes to `PUT`; stored with the write-back so every retry sends the same body.
    /// Each step, and the record, carry their deadline (`dueAt`) when the dossier has one; a
    /// step without its own is due with the group.
    public static func make(route: RouteConfig, version: Int, assessment: DossierAssessment,
                            transfers: [String: TransferRecord], deadlines: [DeadlineRecord] = [], at time: Timestamp) -> String? {
        guard let outcome = assessment.outcome.registerOutcome else { return nil }
        let due = Dictionary(deadlines.map { ($0.step ?? "", JSONValue.string($0.dueAt.description)) }, uniquingKeysWith: { first, _ in first })
        let steps: [JSONValue] = route.steps.map { step in
            guard case .object(var entry) = self.step(step, transfers: transfers, at: time) else { return .null }
            if let stepDue = due[step.name] ?? due[""] { entry["dueAt"] = stepDue }
            return .object(entry)
        }
        var record: [String: JSONValue] = [
            "dossierVersion": .number(Double(version)), "outcome": .string(outcome), "steps": .array(steps),
            "syncedAt": .string(time.description),
        ]
        if let groupDue = due[""] { record["dueAt"] = groupDue }
        if !assessment.reasons.isEmpty { record["reasons"] = .array(assessment.reasons) }
        if !assessment.discrepancies.isEmpty { record["discrepancies"] = .array(assessment.discrepancies.map(\.json)) }
        return JSONWriter.string(.object(record))
    }

    /// One step as the register records it.
    private static func step(_ step: StepConfig, transfers: [String: TransferRecord], at time: Timestamp) -> JSONValue {
        guard let transfer = transfers[step.name] else {
            return ["step": .string(step.name), "agency": .string(step.agency), "status": "not-started", "reference": nil,
                    "result": nil, "reasons": [], "updatedAt": .string(time.description)]
        }
        // A step that will not run is not "in progress": a clerk would wait for it.
        if transfer.state == .waiting, let blocker = step.needs.compactMap({ transfers[$0] }).first(where: { $0.state.isFinal && $0.state != .completed }) {
            return ["step": .string(step.name), "agency": .string(step.agency), "status": "not-started", "reference": nil, "result": nil,
                    "reasons": [["code": "not-started", "message": .string("not started: step \(blocker.step) was \(blocker.state.rawValue)")]],
                    "updatedAt": .string(transfer.updatedAt.description)]
        }
        return ["step": .string(step.name), "agency": .string(step.agency), "status": .string(registerStatus(transfer.state)),
                "reference": transfer.receipt.map(JSONValue.string) ?? .null, "result": transfer.result ?? .null,
                "reasons": transfer.reasons ?? [], "updatedAt": .string(transfer.updatedAt.description)]
    }

    /// Step statuses as a clerk reads them: technical states are "in-progress".
    static func registerStatus(_ state: TransferState) -> String {
        switch state {
        case .completed: "completed"
        case .rejected: "rejected"
        case .accepted: "accepted"
        case .dead: "failed"
        case .cancelled: "cancelled"
        case .waiting, .ready, .sending, .retrying, .cancelling: "in-progress"
        }
    }
}
