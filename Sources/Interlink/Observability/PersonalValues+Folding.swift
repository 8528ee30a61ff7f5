import Synchronization

/// How texts and needles are compared: lower case, no diacritics (đ is d), every run of
/// punctuation and spacing one word boundary. Works on Unicode scalars, not characters: it
/// runs on every event the journal writes, and grapheme breaking and character properties
/// were most of what masking cost. A combining mark is dropped with its letter's diacritics.
extension PersonalValues {
    /// A text cut into folded words, each with the scalars it covers (trailing marks included).
    struct FoldedText {
        var scalars: [Unicode.Scalar]
        var words: [(word: String, range: ClosedRange<Int>)]
    }

    static func foldWords(_ text: String) -> FoldedText {
        let scalars = Array(text.unicodeScalars)
        var words: [(String, ClosedRange<Int>)] = []
        // Each word is gathered as UTF-8 bytes and made a String once: appending to a String
        // scalar by scalar was most of what folding cost.
        var current: [UInt8] = []
        var start = -1, end = -1
        func finish() {
            if !current.isEmpty { words.append((String(decoding: current, as: UTF8.self), start...end)) }
            current.removeAll(keepingCapacity: true)
            start = -1
        }
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x41...0x5A: current.append(UInt8(value + 0x20))
                case 0x61...0x7A, 0x30...0x39: current.append(UInt8(value))
                default:
                    finish()
                    continue
                }
            } else if (0x0300...0x036F).contains(value) {
                // A combining mark belongs to the letter before it: dropped from the word, covered by its range.
                if start >= 0 { end = index }
                continue
            } else if value == 0x0110 || value == 0x0111 {
                current.append(UInt8(ascii: "d"))
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: foldScalar(scalar).utf8)
            } else {
                finish()
                continue
            }
            if start < 0 { start = index }
            end = index
        }
        finish()
        return FoldedText(scalars: scalars, words: words)
    }

    /// Folded non-ASCII letters, kept: a name's letters recur in every line about its dossier.
    private static let folds = Mutex<[UInt32: String]>([:])

    private static func foldScalar(_ scalar: Unicode.Scalar) -> String {
        if let known = folds.withLock({ $0[scalar.value] }) { return known }
        let folded = String(String.UnicodeScalarView(scalar.properties.lowercaseMapping.unicodeScalars.map { baseLetter($0) }))
        folds.withLock { if $0.count < 4_096 { $0[scalar.value] = folded } }
        return folded
    }

    /// The letter a letter with diacritics is built on, by its Unicode name: LATIN SMALL LETTER
    /// E WITH CIRCUMFLEX AND TILDE (ễ) is LATIN SMALL LETTER E. Names come with the standard
    /// library, where decomposition would need ICU. Stroked letters (đ, ø) fold too.
    private static func baseLetter(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard let name = scalar.properties.name, let with = name.firstRange(of: " WITH ") else { return scalar }
        return lettersByName[String(name[..<with.lowerBound])] ?? scalar
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

    /// The folded form of a whole text: its words, one space apart.
    static func fold(_ text: String) -> String {
        foldWords(text).words.map(\.word).joined(separator: " ")
    }
}
