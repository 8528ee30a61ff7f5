/// Why a push's request body could not be built.
enum RequestBodyError: Error, Sendable {
    /// The journal could not be read: transient, so the push is retried, not killed.
    case journal(JournalError)
    /// The dossier version is not in the journal.
    case dossierMissing(String)
    /// The step is no longer in the dossier's configured route (a reload removed it).
    case stepRemoved(String)
    /// The template cannot be rendered from the dossier and earlier results.
    case template(TemplateRenderError)

    /// What the push does about it: a journal failure is retried like any technical fault;
    /// the others can never succeed as configured.
    var answer: AgencyAnswer {
        switch self {
        case .journal(let error): .technical(reason: "the request body could not be read from the journal: \(error)", retryAfterMs: nil)
        case .dossierMissing(let code): .fatal(reason: "dossier \(code) is not in the journal")
        case .stepRemoved(let step): .fatal(reason: "step \(step) is no longer in the configured route; fix the route, then replay")
        case .template(let error): .fatal(reason: error.description)
        }
    }
}

/// The request a push sends: the step's template rendered from the stored dossier and the
/// results of earlier steps.
enum RequestBody {
    static func render(for transfer: TransferRecord, routes: [RouteConfig], journal: any Journal) async -> Result<[UInt8], RequestBodyError> {
        let found: (dossier: DossierRecord?, transfers: [TransferRecord])
        do {
            found = try await journal.dossierWithTransfers(code: transfer.dossierCode, version: transfer.dossierVersion, payload: true)
        } catch {
            return .failure(.journal(error))
        }
        guard let dossier = found.dossier else { return .failure(.dossierMissing(transfer.dossierCode)) }
        // After a restart this may be the first this process sees of the dossier: its values mask what is logged about it.
        dossier.snapshot.rememberPersonalValues()
        for done in found.transfers where done.result != nil {
            PersonalValues.shared.remember(transfer.dossierCode, done.result!, source: "transfer \(done.id)")
        }
        guard let step = routes.route(forProcedure: dossier.snapshot.procedureCode)?.steps.first(where: { $0.name == transfer.step }) else { return .failure(.stepRemoved(transfer.step)) }
        do {
            return .success(JSONWriter.bytes(try step.payload.render(dossier: dossier.snapshot.payload, stepResults: TransferSet(all: found.transfers).results)))
        } catch {
            return .failure(.template(error))
        }
    }
}
