/// Randomness that depends only on the seed and on what is being decided, never on the
/// order in which concurrent requests arrive. The same seed therefore gives the same run.
public struct DeterministicRandom: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// A 64-bit value for `parts` (FNV-1a over the parts, finished with SplitMix64).
    public func value(_ parts: String...) -> UInt64 {
        value(parts)
    }

    public func value(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            hash ^= 0xFF
            hash &*= 0x0000_0100_0000_01B3
        }
        return Self.splitMix(hash)
    }

    /// A uniform fraction in [0, 1).
    public func fraction(_ parts: String...) -> Double {
        Double(value(parts) >> 11) / Double(1 << 53)
    }

    /// A uniform integer in `range`.
    public func integer(_ range: ClosedRange<Int>, _ parts: String...) -> Int {
        range.lowerBound + Int(value(parts) % UInt64(range.count))
    }

    public func pick<T>(_ choices: [T], _ parts: String...) -> T {
        choices[Int(value(parts) % UInt64(choices.count))]
    }

    static func splitMix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A sequential stream for generating data sets, reproducible from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return DeterministicRandom.splitMix(state)
    }
}
