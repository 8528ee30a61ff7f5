extension String {
    /// `value` in decimal, zero-padded on the left to `width` digits: dates and clocks as the
    /// contracts and operators write them, without Foundation's `String(format:)`.
    init(zeroPadded value: some BinaryInteger, width: Int) {
        self = Self.padded(String(value.magnitude), negative: value < 0, width: width)
    }

    /// The hours, minutes and seconds of `millisecondOfDay`, two digits each, `separator` between.
    static func clock(millisecondOfDay: Int64, separator: String) -> String {
        let seconds = millisecondOfDay / 1_000
        return [seconds / 3_600, seconds / 60 % 60, seconds % 60].map { String(zeroPadded: $0, width: 2) }.joined(separator: separator)
    }

    private static func padded(_ digits: String, negative: Bool, width: Int) -> String {
        (negative ? "-" : "") + String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}
