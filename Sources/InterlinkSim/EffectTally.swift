/// The counts `/_sim/stats` reports about effects, kept as each effect is recorded: harnesses
/// ask for them many times a second, and counting the whole list each time (under the world's
/// lock) made the simulator the busiest process of a benchmark.
struct EffectTally {
    /// Effects by service, then operation.
    private(set) var byOperation: [String: [String: Int]] = [:]
    /// Effects that repeated one already applied to the same dossier (write-backs aside, which
    /// a new body legitimately repeats).
    private(set) var repeated = 0
    private var seen: Set<String> = []

    mutating func count(_ effect: SimulatedEffect) {
        byOperation[effect.service, default: [:]][effect.operation, default: 0] += 1
        if effect.operation != "interconnection", !seen.insert("\(effect.service)|\(effect.operation)|\(effect.dossierCode)").inserted {
            repeated += 1
        }
    }
}
