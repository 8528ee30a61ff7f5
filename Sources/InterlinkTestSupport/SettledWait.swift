public import Interlink

extension SimulatorProcess {
    /// Waits until every dossier this register holds is in `journal`, settled, and written
    /// back, with no write-back pending: the end of a run of long-running daemons.
    /// `unreadable` register items are malformed beyond reading, so never stored.
    /// Gives up early when `workers` have all exited: nobody is left to finish the work.
    public func allSettled(in journal: any Journal, unreadable: Int = 0, timeout: Duration, workers: [ChildProcess] = []) async -> Bool {
        var settled = false
        _ = await ChildProcess.waitUntil(timeout: timeout) {
            settled = await isSettled(in: journal, unreadable: unreadable)
            return settled || (!workers.isEmpty && workers.allSatisfy { $0.exitStatus != nil })
        }
        return settled
    }

    /// Whether everything is settled and written back now.
    /// The simulator's count is asked first: it is cheap, and the journal's counts (a scan of
    /// every dossier) would otherwise load the database the benchmarks measure, 50 times a second.
    public func isSettled(in journal: any Journal, unreadable: Int = 0) async -> Bool {
        guard let stats = try? await stats(), let total = stats["dossiers"]?.intValue.map({ $0 - unreadable }),
              stats["interconnections"]?.intValue == total,
              let outcomes = try? await journal.dossierCounts(), outcomes.values.reduce(0, +) == total, outcomes[.inProgress, default: 0] == 0,
              let pending = try? await journal.writeBacks(states: [.pending], dueBy: nil, dossierCode: nil, target: nil, limit: 1), pending.isEmpty
        else { return false }
        return true
    }
}

extension ChildProcess {
    /// The instance id this daemon registered in `journal`, once it has (nil after 30 s).
    public func instanceID(in journal: any Journal) async -> String? {
        var found: String?
        _ = await ChildProcess.waitUntil(timeout: .seconds(30)) {
            found = (try? await journal.instances())?.first { $0.pid == Int(pid) }?.id
            return found != nil
        }
        return found
    }
}
