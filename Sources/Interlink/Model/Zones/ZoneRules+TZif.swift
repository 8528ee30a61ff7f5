/// Reading the database's binary files, TZif (RFC 8536): versions 2 and later carry 64-bit
/// transition times after a 32-bit block, and a footer with the rule for later years.
extension ZoneRules {
    static func parseTZif(_ bytes: [UInt8], identifier: String) -> ZoneRules? {
        guard let first = TZifHeader(bytes, at: 0) else { return nil }
        var block = first
        if first.version >= UInt8(ascii: "2") {
            // Skip the 32-bit block; the second header describes the 64-bit one.
            guard let second = TZifHeader(bytes, at: first.end(timeSize: 4)) else { return nil }
            block = second
        }
        let timeSize = block.version >= UInt8(ascii: "2") ? 8 : 4
        var cursor = block.start
        func integer(_ size: Int) -> Int64? {
            guard cursor + size <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[cursor..<cursor + size] { value = value << 8 | Int64(byte) }
            cursor += size
            // Sign-extend from `size` bytes.
            let shift = Int64(64 - size * 8)
            return (value << shift) >> shift
        }
        var times: [Int64] = []
        for _ in 0..<block.timeCount {
            guard let time = integer(timeSize) else { return nil }
            times.append(time)
        }
        var indices: [Int] = []
        for _ in 0..<block.timeCount {
            guard let index = integer(1) else { return nil }
            indices.append(Int(UInt8(truncatingIfNeeded: index)))
        }
        var typeOffsets: [Int32] = [], typeIsDaylight: [Bool] = []
        for _ in 0..<block.typeCount {
            guard let offset = integer(4), let daylight = integer(1), integer(1) != nil,
                  abs(offset) < 26 * 3_600 else { return nil }
            typeOffsets.append(Int32(offset))
            typeIsDaylight.append(daylight != 0)
        }
        guard !typeOffsets.isEmpty, indices.allSatisfy({ $0 < typeOffsets.count }),
              zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        var rule: PosixZoneRule?
        if timeSize == 8 {
            let footerStart = block.end(timeSize: 8)
            if footerStart < bytes.count, bytes[footerStart] == 0x0A,
               let close = bytes[(footerStart + 1)...].firstIndex(of: 0x0A) {
                let text = String(decoding: bytes[(footerStart + 1)..<close], as: UTF8.self)
                rule = text.isEmpty ? nil : PosixZoneRule(text)
            }
        }
        return ZoneRules(identifier: identifier, transitions: times, offsets: indices.map { typeOffsets[$0] },
                         initialOffset: typeOffsets[0], rule: rule)
    }
}

/// One TZif header and where its data block lies.
struct TZifHeader {
    let version: UInt8
    let start: Int
    let utIndicators, standardIndicators, leapCount, timeCount, typeCount, characterCount: Int

    init?(_ bytes: [UInt8], at offset: Int) {
        guard offset + 44 <= bytes.count, Array(bytes[offset..<offset + 4]) == Array("TZif".utf8) else { return nil }
        func count(_ index: Int) -> Int {
            let at = offset + 20 + index * 4
            return bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        version = bytes[offset + 4]
        start = offset + 44
        (utIndicators, standardIndicators, leapCount) = (count(0), count(1), count(2))
        (timeCount, typeCount, characterCount) = (count(3), count(4), count(5))
        guard typeCount > 0, typeCount <= 256, timeCount < 1 << 20 else { return nil }
    }

    /// Where this header's data block ends, for transition times of `timeSize` bytes.
    func end(timeSize: Int) -> Int {
        start + timeCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4)
            + standardIndicators + utIndicators
    }
}
