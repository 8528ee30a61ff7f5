/// Two results that should agree and do not.
public struct Discrepancy: Sendable, Hashable {
    /// The name of the route's configured check that failed.
    public var check: String
    /// The check's left reference, as written (`/pointer` or `steps.<step>.result/pointer`).
    public var left: String
    /// The check's right reference, as written.
    public var right: String
    /// What the left reference resolved to; `null` when it resolved to nothing.
    public var leftValue: JSONValue
    /// What the right reference resolved to; `null` when it resolved to nothing.
    public var rightValue: JSONValue

    /// The discrepancy as a JSON object, the form ``DossierAssessment/reasonsJSON`` stores.
    public var json: JSONValue {
        ["check": .string(check), "left": .string(left), "right": .string(right), "leftValue": leftValue, "rightValue": rightValue]
    }
}

/// A dossier's outcome and why.
public struct DossierAssessment: Sendable, Hashable {
    /// Where the dossier stands.
    public var outcome: DossierOutcome
    /// Reason objects: agency reasons with their step, quarantine causes, dead transfers' errors.
    public var reasons: [JSONValue]
    /// Checks that failed once every step completed; kept on a completed dossier only after a review resolution.
    public var discrepancies: [Discrepancy]

    /// Builds an assessment from an outcome, its reasons and any discrepancies.
    public init(outcome: DossierOutcome, reasons: [JSONValue], discrepancies: [Discrepancy]) {
        self.outcome = outcome
        self.reasons = reasons
        self.discrepancies = discrepancies
    }

    /// What the journal stores as the dossier's reasons.
    public var reasonsJSON: JSONValue? {
        guard !reasons.isEmpty || !discrepancies.isEmpty else { return nil }
        return ["reasons": .array(reasons), "discrepancies": .array(discrepancies.map(\.json))]
    }
}

/// Works out a dossier's outcome from its route, its transfers and its flags. Pure.
public enum Reconciler: Sendable {
    /// - Parameter transfers: the effective transfer of each step (possibly from an earlier version).
    public static func assess(route: RouteConfig, dossier: JSONValue, transfers: [String: TransferRecord], flags: DossierFlags) -> DossierAssessment {
        if flags.cancelled { return withdrawn(route: route, transfers: transfers, flags: flags) }
        if !flags.quarantineReasons.isEmpty {
            return DossierAssessment(outcome: .quarantined, reasons: flags.quarantineReasons.map { ["code": "quarantined", "message": .string($0)] },
                                     discrepancies: [])
        }
        let ordered = route.steps.compactMap { step in transfers[step.name].map { (step, $0) } }
        let dead = ordered.filter { $0.1.state == .dead }
        if !dead.isEmpty {
            return DossierAssessment(outcome: .failed, reasons: dead.map { step, transfer in
                ["step": .string(step.name), "code": "dead", "message": .string(transfer.lastError ?? "the transfer died")]
            }, discrepancies: [])
        }
        let rejected = ordered.filter { $0.1.state == .rejected }
        if !rejected.isEmpty {
            let reasons = rejected.flatMap { step, transfer in
                (transfer.reasons?.arrayValue ?? [["code": "rejected"]]).map { reason -> JSONValue in
                    guard case .object(var members) = reason else { return reason }
                    members["step"] = .string(step.name)
                    members["agency"] = .string(step.agency)
                    return .object(members)
                }
            }
            return DossierAssessment(outcome: .supplementRequested, reasons: reasons, discrepancies: [])
        }
        guard ordered.count == route.steps.count, ordered.allSatisfy({ $0.1.state == .completed }) else {
            return DossierAssessment(outcome: .inProgress, reasons: [], discrepancies: [])
        }
        let results = transfers.compactMapValues(\.result)
        let discrepancies = route.checks.compactMap { check(dossier: dossier, results: results, $0) }
        var reasons: [JSONValue] = []
        if !flags.changedAfterSteps.isEmpty {
            reasons.append(["code": "version-changed", "message": .string(
                "the dossier changed after \(flags.changedAfterSteps.joined(separator: ", ")) reached the agency; verify and resolve")])
        }
        if flags.reviewResolution == nil, !discrepancies.isEmpty || !reasons.isEmpty {
            return DossierAssessment(outcome: .needsReview, reasons: reasons, discrepancies: discrepancies)
        }
        return DossierAssessment(outcome: .completed, reasons: [], discrepancies: flags.reviewResolution == nil ? [] : discrepancies)
    }

    /// A withdrawn dossier is `cancelled`, unless an agency acted anyway: one that decided
    /// before it could withdraw needs a person to reconcile its act with the withdrawal
    /// (`needs-review`), and a receipt that could not be withdrawn may still be acted on
    /// (`failed`, until an administrator replays the cancellation or settles it with the agency).
    static func withdrawn(route: RouteConfig, transfers: [String: TransferRecord], flags: DossierFlags) -> DossierAssessment {
        let ordered = route.steps.compactMap { step in transfers[step.name].map { (step, $0) } }
        let tooLate = ordered.filter { Withdrawal.tooLate($0.1) }
        if !tooLate.isEmpty, flags.reviewResolution == nil {
            return DossierAssessment(outcome: .needsReview, reasons: tooLate.map { step, transfer in
                ["step": .string(step.name), "agency": .string(step.agency), "code": .string(Withdrawal.tooLateCode),
                 "message": .string("the dossier was withdrawn after \(step.agency) decided on receipt \(transfer.receipt ?? "?"); its act stands: "
                                    + "settle it with the agency and the applicant")]
            }, discrepancies: [])
        }
        let undelivered = ordered.filter { $0.1.state == .dead && $0.1.receipt != nil }
        if !undelivered.isEmpty {
            return DossierAssessment(outcome: .failed, reasons: undelivered.map { step, transfer in
                ["step": .string(step.name), "agency": .string(step.agency), "code": "withdrawal-failed",
                 "message": .string("receipt \(transfer.receipt ?? "?") was not withdrawn (\(transfer.lastError ?? "no answer")); "
                                    + "the agency may still act on it: replay the step or settle it with the agency")]
            }, discrepancies: [])
        }
        return DossierAssessment(outcome: .cancelled, reasons: [], discrepancies: [])
    }

    static func check(dossier: JSONValue, results: [String: JSONValue], _ check: CheckConfig) -> Discrepancy? {
        func value(_ reference: PayloadTemplate.Reference) -> JSONValue {
            let document: JSONValue? = switch reference.source {
            case .dossier: dossier
            case .stepResult(let step): results[step]
            }
            return document.flatMap { reference.pointer.resolve(in: $0) } ?? .null
        }
        let left = value(check.left), right = value(check.right)
        let agree = switch check.comparison {
        case .equal: left == right
        case .sameText: normalized(left) == normalized(right)
        }
        guard !agree else { return nil }
        return Discrepancy(check: check.name, left: check.left.description, right: check.right.description, leftValue: left, rightValue: right)
    }

    /// Trimmed, case-folded, inner whitespace collapsed; diacritics kept, since in Vietnamese they tell names apart.
    static func normalized(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value else { return value }
        return .string(text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}
