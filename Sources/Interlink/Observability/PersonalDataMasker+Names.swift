/// Names found by shape: runs of capitalised words. It runs on every string of every event's
/// detail, so it walks Unicode scalars, with ASCII answered without reading properties;
/// walking characters (grapheme breaking, then a property per character) was most of what
/// masking an agency's answer cost.
extension PersonalDataMasker {
    /// Replaces runs of two or more capitalised words with ``maskedName``.
    static func maskNames(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let words = capitalisedWords(scalars)
        var output = String.UnicodeScalarView()
        var cursor = 0
        var position = 0
        while position < words.count {
            var end = position
            // Any run of whitespace between the words (double spaces, tabs, no-break spaces) still joins them.
            while end + 1 < words.count, words[end].capitalised, words[end + 1].capitalised,
                  words[end].range.upperBound < words[end + 1].range.lowerBound,
                  scalars[words[end].range.upperBound..<words[end + 1].range.lowerBound].allSatisfy(Self.isWhitespace) {
                end += 1
            }
            if end > position {
                output.append(contentsOf: scalars[cursor..<words[position].range.lowerBound])
                output.append(contentsOf: maskedName.unicodeScalars)
                cursor = words[end].range.upperBound
                position = end + 1
            } else {
                position += 1
            }
        }
        guard cursor > 0 else { return text }
        output.append(contentsOf: scalars[cursor...])
        return String(output)
    }

    /// Every word of `scalars` (letters, with hyphens inside: "Mai-Anh" is one word), and
    /// whether it is capitalised and stands alone: parts of identifiers ("Idempotency-Key",
    /// "HT_2025") are not names.
    private static func capitalisedWords(_ scalars: [Unicode.Scalar]) -> [(range: Range<Int>, capitalised: Bool)] {
        var words: [(range: Range<Int>, capitalised: Bool)] = []
        var index = 0
        while index < scalars.count {
            guard isLetter(scalars[index]), !isMark(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, isLetter(scalars[index]) || isMark(scalars[index])
                    || (scalars[index] == "-" && index > start && index + 1 < scalars.count && isLetter(scalars[index + 1])) {
                index += 1
            }
            // The character before the word starts at the scalar its marks follow.
            var before = start - 1
            while before > 0, isMark(scalars[before]) { before -= 1 }
            let standsAlone = (index == scalars.count || !joins(scalars[index])) && (before < 0 || !joins(scalars[before]))
            words.append((start..<index, standsAlone && isUppercase(scalars[start])))
        }
        return words
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) : scalar.properties.isAlphabetic
    }

    private static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? ("A"..."Z").contains(scalar) : scalar.properties.isUppercase
    }

    /// A combining mark: part of the character its letter starts.
    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && scalar.properties.isGraphemeExtend
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || ("\t"..."\r").contains(scalar) : scalar.properties.isWhitespace
    }

    /// What joins a word into an identifier: a hyphen, an underscore or a digit.
    private static func joins(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "-" || scalar == "_" || (scalar.isASCII ? ("0"..."9").contains(scalar) : scalar.properties.numericType != nil)
    }
}
