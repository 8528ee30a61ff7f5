/// The one rule for the step DAG: a step may be sent once every step it needs is completed.
/// The planner applies it to a new version's steps, the reconciler to waiting steps whose
/// needs were just met.
enum StepReadiness {
    /// Whether `step` may be sent, given each step's effective transfer. Needs in `redoing`
    /// (steps a new version sends again) do not count as completed; needs in `completed`
    /// (steps adopted as completed from the register's record) do.
    static func isReady(_ step: StepConfig, effective: [String: TransferRecord], redoing: Set<String> = [], completed: Set<String> = []) -> Bool {
        step.needs.allSatisfy { completed.contains($0) || (effective[$0]?.state == .completed && !redoing.contains($0)) }
    }
}
