/// A dossier's transfers across all its versions, with the one that counts for each step.
struct TransferSet {
    let all: [TransferRecord]

    /// Per step, the transfer of the newest version that was not cancelled (or the newest, if all were).
    var effective: [String: TransferRecord] {
        var result: [String: TransferRecord] = [:]
        for transfer in all.sorted(by: { ($0.dossierVersion, $0.id) < ($1.dossierVersion, $1.id) }) {
            if let current = result[transfer.step], current.state != .cancelled, transfer.state == .cancelled { continue }
            result[transfer.step] = transfer
        }
        return result
    }

    /// The completed results by step name, for payload templates and checks.
    var results: [String: JSONValue] {
        effective.compactMapValues { $0.state == .completed ? $0.result : nil }
    }
}
