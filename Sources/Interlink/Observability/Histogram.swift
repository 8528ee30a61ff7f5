/// A Prometheus-style histogram of durations in seconds with fixed buckets.
public struct Histogram: Sendable, Hashable {
    /// The buckets' upper bounds in seconds, ascending; a last, implicit bucket (`+Inf`) takes the rest.
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Observations at or below each bound (not cumulative; rendering accumulates).
    public private(set) var counts = [Int](repeating: 0, count: Histogram.bounds.count + 1)
    /// The total of all observed durations, in seconds.
    public private(set) var sum = 0.0
    /// How many durations were observed.
    public private(set) var count = 0

    /// An empty histogram.
    public init() {}

    /// Records one duration, in seconds, in the first bucket whose bound it does not exceed.
    public mutating func observe(seconds: Double) {
        let index = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        counts[index] += 1
        sum += seconds
        count += 1
    }
}
