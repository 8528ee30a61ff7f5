import Foundation
import Interlink
import InterlinkSim

/// `make bench VARIANT=masking`: the per-dossier work the daemon does in Swift on every
/// dossier it meets, without the journal or the network: parsing the register's JSON,
/// collecting the dossier's personal values, and masking what is logged about it. Timed in
/// one process on generated dossiers, so a change to one of them shows without the noise of
/// an end-to-end run.
enum MaskingBenchmark {
    static func run(dossiers count: Int, rounds: Int, output: String?) throws {
        let generated = DossierGenerator(seed: 2_025).generate(count: count).dossiers.map(\.dossier)
        let documents = generated.map(JSONWriter.bytes)
        print("interlink-bench masking: \(count) generated dossiers (\(documents.map(\.count).reduce(0, +) / max(1, count)) bytes of JSON each), \(rounds) rounds")
        var phases: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for (name, microseconds) in round(documents) { phases[name, default: []].append(microseconds) }
        }
        let medians = phases.mapValues { $0.sorted()[$0.count / 2] }
        for name in ["parse", "collect", "mask events", "mask answers"] {
            print("\(name.padding(toLength: 28, withPad: " ", startingAt: 0))\(String(format: "%8.1f", medians[name] ?? 0)) µs per dossier (median of \(rounds))")
        }
        let result: JSONValue = ["dossiers": .number(Double(count)), "rounds": .number(Double(rounds)),
                                 "microsecondsPerDossier": .object(medians.mapValues(JSONValue.number)), "at": .string(Timestamp.now().description)]
        let path = output ?? "bench-results/masking-\(count).json"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try JSONWriter.string(result).write(toFile: path, atomically: true, encoding: .utf8)
        print("results: \(path)")
    }

    /// One round over every dossier: each phase's microseconds per dossier.
    private static func round(_ documents: [[UInt8]]) -> [String: Double] {
        let clock = ContinuousClock()
        var started = clock.now
        let payloads = documents.compactMap { try? JSONParser.parse($0) }
        let parse = clock.now - started
        // A registry as large as the daemon's, so eviction is part of the cost.
        let registry = PersonalValues(capacity: 2_048)
        started = clock.now
        for payload in payloads {
            let code = payload["code"]?.stringValue ?? ""
            registry.remember(code, ["form": payload["form"] ?? .null, "applicant": payload["applicant"] ?? .null], source: "dossier v1")
        }
        let collect = clock.now - started
        // What the journal's events about a dossier say, and an agency's answer as their detail.
        started = clock.now
        var kept = 0
        for payload in payloads {
            let code = payload["code"]?.stringValue ?? ""
            guard let needles = registry.needles(for: code) else { continue }
            for message in ["dossier version 1 seen (procedure 1.001193, route birth-group)",
                            "civil-registry accepted \(code): reference HT-400363015904 after 38 ms",
                            "written back to the register: outcome completed, 3 steps"] {
                kept += PersonalDataMasker.mask(needles.mask(message)).utf8.count
            }
        }
        let events = clock.now - started
        started = clock.now
        for payload in payloads {
            let answer: JSONValue = ["status": "accepted", "reference": "HT-400363015904", "echo": payload["form"] ?? .null]
            kept += JSONWriter.bytes(PersonalDataMasker.mask(answer, about: nil)).count
        }
        let answers = clock.now - started
        precondition(kept > 0)
        let perDossier = { (duration: Duration) in ReliabilityScenarios.seconds(duration) * 1e6 / Double(max(1, payloads.count)) }
        return ["parse": perDossier(parse), "collect": perDossier(collect), "mask events": perDossier(events), "mask answers": perDossier(answers)]
    }
}
