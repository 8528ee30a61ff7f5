/// How an administrator settles a discrepancy.
public enum ReviewDecision: String, Sendable, CaseIterable {
    /// The agencies' results stand.
    case acceptAgency = "accept-agency"
    /// The dossier's data stands (the agency will be asked to correct its record outside Interlink).
    case acceptDossier = "accept-dossier"
}

/// Why a review could not be resolved, and what to do instead.
public struct ReviewError: Error, Sendable, CustomStringConvertible {
    /// What stood in the way.
    public enum Code: String, Sendable, Hashable {
        /// The journal has no such dossier.
        case unknownDossier = "unknown-dossier"
        /// The dossier does not need review (any more).
        case notNeedingReview = "not-needing-review"
        /// The journal could not be read or written.
        case journal
    }

    /// What stood in the way.
    public let code: Code
    /// What happened and what to do.
    public let description: String
}

/// Resolves discrepancies that put a dossier in `needs-review`.
public enum Review: Sendable {
    /// Records the decision; the daemon then completes the dossier and writes it back.
    public static func resolve(code: String, decision: ReviewDecision, reason: String, user: String,
                               journal: any Journal) async throws(ReviewError) -> DossierRecord {
        let found: DossierRecord?
        do {
            found = try await journal.latestDossier(code: code)
        } catch {
            throw ReviewError(code: .journal, description: "cannot read dossier \(code): \(error)")
        }
        guard let dossier = found else {
            throw ReviewError(code: .unknownDossier, description: "no dossier \(code) in the journal; check the code with `interlinkctl review`")
        }
        guard dossier.outcome == .needsReview else {
            throw ReviewError(code: .notNeedingReview, description: "dossier \(code) is \(dossier.outcome.rawValue), not needs-review; "
                              + "nothing to resolve (`interlinkctl show \(code)` tells what happened)")
        }
        var flags = dossier.flags
        flags.reviewResolution = decision.rawValue
        var batch = JournalBatch()
        batch.flags = [FlagsChange(dossierCode: code, dossierVersion: dossier.snapshot.version, flags: flags)]
        batch.touchedDossiers = [code]
        batch.events = [NewEvent(level: .notice, kind: .review, dossierCode: code, dossierVersion: dossier.snapshot.version,
                                 message: "review resolved by \(user) (\(decision.rawValue)): \(reason)",
                                 detail: ["user": .string(user), "decision": .string(decision.rawValue), "reason": .string(reason)])]
        do {
            try await journal.apply(batch)
        } catch {
            throw ReviewError(code: .journal, description: "cannot record the review of \(code): \(error); nothing was changed, try again")
        }
        return dossier
    }
}
