/// How a stage stops: it waits for its running tasks up to a deadline, then cancels the
/// rest. A cancelled push is handed back (`sending` → `ready`) and a cancelled write-back
/// stays pending; both are sent again under the same key.
enum Drain {
    /// Waits until `running()` is empty or `deadline` passes, looking again whenever
    /// `signal` fires; then cancels what is left and waits for it. Returns how many were cancelled.
    static func tasks(isolation: isolated (any Actor)? = #isolation, until deadline: ContinuousClock.Instant, waking signal: WakeSignal,
                      running: () -> [Task<Void, Never>]) async -> Int {
        while !running().isEmpty, ContinuousClock.now < deadline {
            await signal.wait(timeout: .milliseconds(100))
        }
        let leftovers = running()
        for task in leftovers { task.cancel() }
        for task in leftovers { await task.value }
        return leftovers.count
    }
}
