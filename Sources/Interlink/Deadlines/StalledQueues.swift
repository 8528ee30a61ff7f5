/// Which agencies' queues make no progress: work waits to be sent, the oldest pending item is
/// older than the threshold, and nothing completed within it. An agency whose circuit is open
/// is an outage already, one incident, not two.
enum StalledQueues {
    static func stalled(_ counts: TransferCounts, now: Timestamp, thresholdSeconds: Int, outages: Set<String>) -> Set<String> {
        let threshold = now.adding(milliseconds: -Int64(thresholdSeconds) * 1_000)
        return Set(counts.byAgency.compactMap { agency, states -> String? in
            let waiting = states[.ready, default: 0] + states[.sending, default: 0] + states[.retrying, default: 0]
            guard waiting > 0, !outages.contains(agency), let oldest = counts.oldestPending[agency], oldest < threshold else { return nil }
            if let last = counts.lastCompleted[agency], last >= threshold { return nil }
            return agency
        })
    }
}
