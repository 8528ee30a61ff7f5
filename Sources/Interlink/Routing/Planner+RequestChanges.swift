extension Planner {
    /// For each step an earlier version took to an agency: how its request would differ if
    /// rendered from `snapshot` rather than from the version it was sent for, with the same
    /// earlier results. A step left out could not be compared (the old version is gone or
    /// purged, or no longer renders): it is flagged for review as before.
    func requestChanges(_ snapshot: DossierSnapshot, route: RouteConfig, earlier: [TransferRecord]) async -> [String: [JSONValue]] {
        let effective = TransferSet(all: earlier).effective
        let results = effective.compactMapValues { $0.state == .completed ? $0.result : nil }
        var changes: [String: [JSONValue]] = [:]
        var oldPayloads: [Int: JSONValue] = [:]
        for step in route.steps {
            guard let old = effective[step.name], [.accepted, .completed, .sending, .retrying, .cancelling].contains(old.state) else { continue }
            if oldPayloads[old.dossierVersion] == nil {
                oldPayloads[old.dossierVersion] = (try? await journal.dossier(code: snapshot.code, version: old.dossierVersion))?.snapshot.payload
            }
            guard let payload = oldPayloads[old.dossierVersion], payload != .null,
                  let before = try? step.payload.render(dossier: payload, stepResults: results),
                  let after = try? step.payload.render(dossier: snapshot.payload, stepResults: results) else { continue }
            changes[step.name] = RequestDiff.differences(before, after)
        }
        return changes
    }
}
