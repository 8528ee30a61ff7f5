import Synchronization

/// How texts and needles are compared: lower case, no diacritics (đ is d), every run of
/// punctuation and spacing one word boundary. Works on Unicode scalars, not characters: it
/// runs on every event the journal writes and every string of every dossier stored, and
/// grapheme breaking and character properties were most of what masking cost. A combining
/// mark is dropped with its letter's diacritics.
extension PersonalValues {
    /// A text cut into folded words, each with the scalars it covers (trailing marks included).
    struct FoldedText {
        var scalars: [Unicode.Scalar]
        var words: [(word: String, range: ClosedRange<Int>)]
    }

    /// `text`'s folded words with the scalars each covers, for masking in place.
    static func foldWords(_ text: String) -> FoldedText {
        let scalars = Array(text.unicodeScalars)
        var words: [(String, ClosedRange<Int>)] = []
        forEachFoldedWord(scalars) { word, range in words.append((word, range)) }
        return FoldedText(scalars: scalars, words: words)
    }

    /// The folded form of a whole text: its words, one space apart.
    static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var inWord = false, pendingSpace = false
        for scalar in text.unicodeScalars {
            switch foldScalar(scalar, into: &bytes, spaceFirst: pendingSpace) {
            case .letter:
                inWord = true
                pendingSpace = false
            case .mark: continue
            case .boundary:
                if inWord { pendingSpace = true }
                inWord = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A folded text's words: split on its spaces' bytes, since splitting by characters
    /// would break graphemes that folding already reduced to plain letters.
    static func words(_ folded: String) -> [String] {
        var words: [String] = []
        var folded = folded
        folded.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
                if index > start { words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
        }
        return words
    }

    /// Calls `body` with each folded word of `scalars` and the scalars it covers.
    private static func forEachFoldedWord(_ scalars: [Unicode.Scalar], _ body: (String, ClosedRange<Int>) -> Void) {
        // Each word is gathered as UTF-8 bytes and made a String once: appending to a String
        // scalar by scalar was most of what folding cost.
        var current: [UInt8] = []
        var start = -1, end = -1
        for (index, scalar) in scalars.enumerated() {
            switch foldScalar(scalar, into: &current, spaceFirst: false) {
            case .letter:
                if start < 0 { start = index }
                end = index
            case .mark:
                // A combining mark belongs to the letter before it: dropped from the word, covered by its range.
                if start >= 0 { end = index }
            case .boundary:
                if start >= 0 { body(String(decoding: current, as: UTF8.self), start...end) }
                current.removeAll(keepingCapacity: true)
                start = -1
            }
        }
        if start >= 0 { body(String(decoding: current, as: UTF8.self), start...end) }
    }

    /// What a scalar is to folding.
    enum ScalarKind { case letter, mark, boundary }

    /// Appends `scalar`'s folded bytes to `output` when it is a letter or digit (after a space
    /// when `spaceFirst`), and says what it was.
    @inline(__always)
    static func foldScalar(_ scalar: Unicode.Scalar, into output: inout [UInt8], spaceFirst: Bool) -> ScalarKind {
        let value = scalar.value
        let folded: UInt8
        if value < 0x80 {
            folded = asciiFolds[Int(value)]
        } else if (0x0300...0x036F).contains(value) {
            return .mark
        } else if let index = LatinFolds.index(value) {
            folded = latinFolds.table[index]
        } else {
            folded = LatinFolds.elsewhere
        }
        switch folded {
        case LatinFolds.boundary: return .boundary
        case LatinFolds.elsewhere:
            let word = foldedElsewhere(scalar)
            guard let word else { return .boundary }
            if spaceFirst { output.append(UInt8(ascii: " ")) }
            output.append(contentsOf: word.utf8)
        default:
            if spaceFirst { output.append(UInt8(ascii: " ")) }
            output.append(folded)
        }
        return .letter
    }

    /// Lower-case letters and digits as themselves, upper-case letters lowered, the rest boundaries.
    private static let asciiFolds: [UInt8] = (0..<0x80).map { (value: Int) -> UInt8 in
        switch value {
        case 0x41...0x5A: UInt8(value + 0x20)
        case 0x61...0x7A, 0x30...0x39: UInt8(value)
        default: LatinFolds.boundary
        }
    }

    /// The Latin letters Vietnamese and its neighbours write, folded once into a table: a
    /// lookup per scalar instead of a lock and a dictionary.
    struct LatinFolds: Sendable {
        /// A scalar that separates words.
        static let boundary: UInt8 = 0xFF
        /// A scalar the table cannot hold (it folds to more than one ASCII letter, or it lies
        /// outside the ranges): folded by name.
        static let elsewhere: UInt8 = 0x00
        /// Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional (ễ, ộ, ự …).
        static let ranges: [ClosedRange<UInt32>] = [0x80...0x24F, 0x1E00...0x1EFF]

        let table: [UInt8]

        init() {
            table = Self.ranges.flatMap { $0 }.map { value -> UInt8 in
                guard let scalar = Unicode.Scalar(value) else { return Self.boundary }
                guard let word = PersonalValues.foldByName(scalar, latinOnly: true) else { return Self.boundary }
                let bytes = Array(word.utf8)
                return bytes.count == 1 && bytes[0] < 0x80 ? bytes[0] : Self.elsewhere
            }
        }

        @inline(__always)
        static func index(_ value: UInt32) -> Int? {
            if value <= 0x24F { return Int(value - 0x80) }
            if (0x1E00...0x1EFF).contains(value) { return Int(value - 0x1E00) + 0x1D0 }
            return nil
        }
    }

    private static let latinFolds = LatinFolds()

    /// Folded scalars outside the table, kept: a name's letters recur in every line about its dossier.
    private static let otherFolds = Mutex<[UInt32: String?]>([:])

    private static func foldedElsewhere(_ scalar: Unicode.Scalar) -> String? {
        if let known = otherFolds.withLock({ $0[scalar.value] }) { return known }
        let folded = foldByName(scalar)
        otherFolds.withLock { if $0.count < 4_096 { $0[scalar.value] = .some(folded) } }
        return folded
    }

    /// How a scalar folds, from its Unicode properties: nil for one that separates words.
    /// `latinOnly` leaves a letter whose base is not a plain Latin letter as it is, so filling
    /// the table reads no names beyond its own letters'.
    static func foldByName(_ scalar: Unicode.Scalar, latinOnly: Bool = false) -> String? {
        if scalar.value == 0x0110 || scalar.value == 0x0111 { return "d" }
        guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return nil }
        return String(String.UnicodeScalarView(scalar.properties.lowercaseMapping.unicodeScalars.map { baseLetter($0, latinOnly: latinOnly) }))
    }

    /// The letter a letter with diacritics is built on, by its Unicode name: LATIN SMALL LETTER
    /// E WITH CIRCUMFLEX AND TILDE (ễ) is LATIN SMALL LETTER E. Names come with the standard
    /// library, where decomposition would need ICU. Stroked letters (đ, ø) fold too.
    private static func baseLetter(_ scalar: Unicode.Scalar, latinOnly: Bool) -> Unicode.Scalar {
        guard let name = scalar.properties.name.map({ Array($0.utf8) }), let with = name.firstIndex(ofSubsequence: Array(" WITH ".utf8)) else { return scalar }
        let base = name[..<with]
        // LATIN SMALL LETTER E is e, and LATIN CAPITAL LETTER E is E: most bases need no table of names.
        for (prefix, offset) in [(Array("LATIN SMALL LETTER ".utf8), UInt8(0x20)), (Array("LATIN CAPITAL LETTER ".utf8), 0)]
        where base.count == prefix.count + 1 && base.starts(with: prefix) {
            if let letter = base.last, (0x41...0x5A).contains(letter) { return Unicode.Scalar(letter + offset) }
        }
        return latinOnly ? scalar : lettersByName[String(decoding: base, as: UTF8.self)] ?? scalar
    }

    /// The plain letters of the scripts whose letters carry diacritics here, by name.
    private static let lettersByName: [String: Unicode.Scalar] = {
        var letters: [String: Unicode.Scalar] = [:]
        for range in [0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x370...0x4FF, 0x1E00...0x1FFF] {
            for value in range {
                guard let scalar = Unicode.Scalar(UInt32(value)), let name = scalar.properties.name,
                      !name.contains(" WITH ") else { continue }
                letters[name] = letters[name] ?? scalar
            }
        }
        return letters
    }()
}
