/// `interlinkd --check-config --render`: every route's requests rendered for sample dossiers,
/// masked, so an administrator sees what each agency would receive before reloading.
public enum RequestPreview: Sendable {
    /// A dossier to render for, with the results its earlier steps already have.
    public struct Sample: Sendable {
        let snapshot: DossierSnapshot
        let results: [String: JSONValue]
    }

    /// The fixture dossiers in `directory` (files holding `{"dossier": …}`), in name order.
    public static func fixtures(in directory: String) -> [Sample] {
        let paths = (try? DirectoryListing.files(in: directory, suffix: ".json").get()) ?? []
        return paths.compactMap { path in
            guard let data = FileBytes.read(path),
                  let dossier = (try? JSONParser.parse(data))?["dossier"],
                  case .dossier(let snapshot) = RegisterPageParser.item(Array(JSONWriter.string(dossier).utf8)) else { return nil }
            return Sample(snapshot: snapshot, results: [:])
        }
    }

    /// The `count` most recently seen dossiers of `journal`, with their steps' results.
    public static func recent(_ count: Int, journal: any Journal) async throws(JournalError) -> [Sample] {
        var samples: [Sample] = []
        for record in try await journal.dossiers(outcome: nil, procedure: nil, since: nil, limit: count) {
            let found = try await journal.dossierWithTransfers(code: record.snapshot.code, version: record.snapshot.version, payload: true)
            guard let dossier = found.dossier, dossier.snapshot.payload != .null else { continue }
            let results = TransferSet(all: found.transfers).effective.compactMapValues { $0.state == .completed ? $0.result : nil }
            samples.append(Sample(snapshot: dossier.snapshot, results: results))
        }
        return samples
    }

    /// What each route would send for each sample: one block per dossier, one line per step.
    public static func lines(for samples: [Sample], config: InterlinkConfig) -> [String] {
        var lines: [String] = []
        for sample in samples {
            let snapshot = sample.snapshot
            guard let route = config.route(forProcedure: snapshot.procedureCode) else {
                lines.append("\(snapshot.code) v\(snapshot.version): procedure \(snapshot.procedureCode) has no route; nothing would be sent")
                continue
            }
            lines.append("\(snapshot.code) v\(snapshot.version) → route \(route.name)")
            for step in route.steps {
                let (request, problems) = step.payload.preview(dossier: snapshot.payload, stepResults: sample.results)
                // The path as it would be sent, masked like the body: a path may carry dossier values too.
                let path = (try? step.path.fill(document: snapshot.payload).get()).flatMap { PersonalDataMasker.mask(.string($0)).stringValue } ?? step.operation
                let target = "\(step.agency) \(step.dialect.method) \(path)"
                if problems.isEmpty {
                    lines.append("  \(step.name) → \(target): " + JSONWriter.string(PersonalDataMasker.mask(request)))
                } else {
                    lines.append("  \(step.name) → \(target): would be quarantined: " + problems.map(\.description).joined(separator: "; "))
                }
            }
        }
        return lines
    }
}
