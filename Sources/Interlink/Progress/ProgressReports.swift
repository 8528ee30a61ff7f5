/// The portal's write-backs for a dossier outcome: its dossier sync and its progress report,
/// queued with the register's write-back. The sync is sent again only when its body
/// changes; the report waits for a sync of its version (the journal's claims enforce it).
enum ProgressReports {
    /// The two requests for `register`, rendered from the configured templates; a template
    /// that cannot be filled is a configuration mistake, named in `problems`, and nothing is queued for the portal.
    static func requests(for register: WriteBackRequest, dossier: JSONValue,
                         settings: ProgressReportConfig) -> (requests: [WriteBackRequest], problems: [String]) {
        guard let outcome = register.outcome.registerOutcome, let status = settings.statusCodes[outcome] else { return ([], []) }
        let document: JSONValue = [
            "dossierCode": .string(register.dossierCode), "dossierVersion": .number(Double(register.dossierVersion)),
            "outcome": .string(outcome), "status": .number(Double(status)), "dossier": dossier,
            "record": (try? JSONParser.parse(Array(register.body.utf8))) ?? .null,
        ]
        var requests: [WriteBackRequest] = []
        var problems: [String] = []
        for (target, call) in [(WriteBackTarget.portalDossier, settings.dossier), (.portalProgress, settings.progress)] {
            do {
                let body = JSONWriter.string(try call.body.render(dossier: document, stepResults: [:]))
                requests.append(WriteBackRequest(dossierCode: register.dossierCode, dossierVersion: register.dossierVersion,
                                                 outcome: register.outcome, body: body, target: target))
            } catch {
                problems.append("progressReports.\(target == .portalDossier ? "dossier" : "progress").body: \(error)")
            }
        }
        return problems.isEmpty ? (requests, []) : ([], problems)
    }
}
