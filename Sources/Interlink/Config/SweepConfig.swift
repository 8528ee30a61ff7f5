/// The drift sweep: a periodic full pass over the register that finds what polling can miss
/// (dossier versions committed later than the look-back window reaches).
public struct SweepConfig: Sendable, Hashable {
    /// Seconds between sweeps (default 3600); 0 turns the sweep off.
    public var intervalSeconds: Int
    /// Pause between the sweep's pages, so it never crowds out polls and write-backs (default 200).
    public var pageDelayMs: Int

    /// The defaults: hourly, 200 ms between pages.
    public init(intervalSeconds: Int = 3_600, pageDelayMs: Int = 200) {
        self.intervalSeconds = intervalSeconds
        self.pageDelayMs = pageDelayMs
    }

    init(reading object: ConfigObjectReader?) {
        let fallback = SweepConfig()
        guard let object else {
            self = fallback
            return
        }
        intervalSeconds = object.int("intervalSeconds", default: fallback.intervalSeconds, in: 0...(7 * 86_400))
        pageDelayMs = object.int("pageDelayMs", default: fallback.pageDelayMs, in: 0...60_000)
        object.finish()
    }
}
