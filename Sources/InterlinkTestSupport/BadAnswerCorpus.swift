import Foundation
import Interlink

/// The agency side of the bad-input corpus: bodies a broken or hostile agency might answer a
/// push with (HTTP 200), queued in the simulator through `/_sim/bad-answers`.
public enum BadAnswerCorpus: Sendable {
    public struct Answer: Sendable {
        public let name: String
        public let body: [UInt8]
        /// Refused as a technical failure and retried (the retry gets a proper answer);
        /// otherwise taken as a decision that a later step or check must catch.
        public let retried: Bool
    }

    public static let answers: [Answer] = [
        Answer(name: "invalid UTF-8", body: Array(#"{"status":"completed","result":{"certificateNo":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8), retried: true),
        Answer(name: "huge body", body: Array(#"{"status":"completed","result":{"pad":""#.utf8) + Array(repeating: 0x78, count: 2 << 20) + Array(#""}}"#.utf8),
               retried: true),
        Answer(name: "deep nesting", body: Array(repeating: UInt8(ascii: "["), count: 10_000) + Array(repeating: UInt8(ascii: "]"), count: 10_000),
               retried: true),
        Answer(name: "missing result", body: Array(#"{"status":"completed","receipt":"R-MISSING"}"#.utf8), retried: true),
        Answer(name: "duplicate keys", body: Array(#"{"status":"completed","status":"rejected","result":{}}"#.utf8), retried: true),
        Answer(name: "not JSON", body: Array("<html><body>502 Bad Gateway</body></html>".utf8), retried: true),
        Answer(name: "empty body", body: [], retried: true),
        Answer(name: "unknown status", body: Array(#"{"status":"maybe","result":{}}"#.utf8), retried: true),
        // A decision whose values have the wrong types: the step that reads them refuses to render.
        Answer(name: "wrong types", body: Array(#"{"status":"completed","receipt":"R-TYPES","result":{"personalId":96225000123,"fullName":["x"],"dateOfBirth":true,"certificateNo":7}}"#.utf8),
               retried: false),
        // Line breaks and a forged journald prefix in a value must stay inside one log line.
        Answer(name: "CR/LF in names", body: Array(#"{"status":"completed","receipt":"R-CRLF","result":{"personalId":"096225009999","fullName":"Trần\r\n<3>{\"msg\":\"forged\"}","dateOfBirth":"2025-11-09","certificateNo":"KS\r\n1"}}"#.utf8),
               retried: false),
    ]

    /// Queues every answer for the civil registry's next birth registrations, whose result the
    /// insurance step reads (so a wrong-typed one must be caught there).
    public static func queue(on simulator: SimulatorProcess, copies: Int = 1) async throws {
        let bodies = JSONValue.array(answers.map { .object(["rawBase64": .string(Data($0.body).base64EncodedString())]) })
        // One copy per request: the huge answer alone is megabytes, and the simulator caps request bodies.
        for _ in 0..<copies {
            let answer = try await simulator.control("POST", "/_sim/bad-answers", body: ["service": "civil-registry", "operation": "/births", "bodies": bodies])
            guard answer["queued"]?.intValue == answers.count else {
                throw HarnessError("the simulator did not queue the bad answers: \(JSONWriter.string(answer).prefix(300))")
            }
        }
    }
}

extension BadAnswerCorpus {
    /// What broke, if anything, after a run over the queued corpus: every answer was served;
    /// each retried one left its reason in the journal; the wrong-typed decision stopped the
    /// step that reads it, with the reason; no log line was split; nothing is left unsettled.
    public static func check(simulator: SimulatorProcess, daemon: DaemonHarness, log: String, copies: Int = 1) async throws -> [String] {
        var broken: [String] = []
        let stats = try await simulator.stats()
        if stats["badAnswersServed"]?.intValue != answers.count * copies {
            broken.append("served \(stats["badAnswersServed"]?.intValue ?? 0) of \(answers.count * copies) bad answers")
        }
        let journal = try daemon.journal()
        let events = try await journal.events(EventQuery(limit: 1_000_000))
        let refusals = events.filter { $0.event.message.contains("malformed answer") || $0.event.message.contains("response-too-large") }
        if refusals.count < answers.filter(\.retried).count * copies {
            broken.append("\(refusals.count) refusals journaled with a reason for \(answers.filter(\.retried).count * copies) malformed answers")
        }
        let dead = try await journal.transfers(TransferQuery(states: [.dead]))
        if !dead.contains(where: { ($0.lastError ?? "").contains("personalId") }) {
            broken.append("no step refused the wrong-typed decision with its reason (dead: \(dead.map { $0.lastError ?? "" }))")
        }
        let unsettled = try await journal.dossierCounts()[.inProgress, default: 0]
        if unsettled > 0 { broken.append("\(unsettled) dossiers still in progress") }
        if stats["repeatedEffects"] != 0 { broken.append("effects applied twice: \(stats["repeatedEffects"].map(JSONWriter.string) ?? "?")") }
        await journal.close()
        // Every line the daemon wrote is one JSON object: the CR/LF in a value did not split it.
        let lines = log.split(separator: "\n").filter { !$0.isEmpty }
        let split = lines.filter { line in
            let json = line.drop { $0 != "{" }
            return (try? JSONParser.parse(Array(json.utf8))) == nil
        }
        if !split.isEmpty { broken.append("\(split.count) log lines are not JSON, e.g. \(split.first!.prefix(200))") }
        if log.contains("\"msg\":\"forged\"") { broken.append("a forged log record got through") }
        return broken
    }
}
