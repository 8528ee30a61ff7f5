/// What the register already holds about a dossier's steps: the interconnection record a
/// daemon wrote back (CONTRACTS.md), read before a version the journal never saw is pushed.
/// Steps it lists as completed or accepted were done by a journal since lost or restored
/// from an older backup; they are adopted rather than pushed again.
struct InterconnectionRecord: Sendable, Hashable {
    /// A step the record says an agency completed or accepted.
    struct DoneStep: Sendable, Hashable {
        /// `completed` or `accepted`.
        let state: TransferState
        /// The agency's reference (its receipt), which follow-ups of an accepted step ask about.
        let reference: String?
        /// The agency's result, which later steps' templates read.
        let result: JSONValue?
    }

    /// The dossier version the record was written for.
    let dossierVersion: Int?
    /// Done steps by step name.
    let done: [String: DoneStep]

    /// Parses a record; a step of any other status (rejected, failed, in progress, not
    /// started) is left out and planned as usual.
    init(parsing bytes: [UInt8]) throws(InterconnectionRecordError) {
        guard let json = try? JSONParser.parse(bytes), case .object(let record) = json else {
            throw InterconnectionRecordError("the interconnection record is not a JSON object")
        }
        guard case .array(let steps)? = record["steps"] else {
            throw InterconnectionRecordError("the interconnection record has no steps array")
        }
        var done: [String: DoneStep] = [:]
        for case .object(let step) in steps {
            guard let name = step["step"]?.stringValue else { continue }
            let state: TransferState? = switch step["status"]?.stringValue {
            case "completed": .completed
            case "accepted": .accepted
            default: nil
            }
            guard let state else { continue }
            let reference = step["reference"]?.stringValue
            // An accepted step is followed through its receipt: without one it cannot be.
            if state == .accepted, reference == nil { continue }
            done[name] = DoneStep(state: state, reference: reference, result: step["result"].flatMap { $0 == .null ? nil : $0 })
        }
        dossierVersion = record["dossierVersion"]?.intValue
        self.done = done
    }
}

/// An interconnection record that cannot be read as one.
struct InterconnectionRecordError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
