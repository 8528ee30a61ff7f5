@testable import Interlink
import InterlinkSim
import Testing

/// Names by shape are found on Unicode scalars; the characters they used to be found on are
/// the reference. Texts are drawn from the words masking meets: names precomposed and
/// decomposed, identifiers, codes, digits, and every kind of space between.
@Suite("Masking names by shape")
struct NameShapeMaskingTests {
    static let pieces = [
        "Nguyễn", "Thị", "Mai", "Mai-Anh", "ĐỖ", "Hồ", "Công", "Khánh", "Nguye\u{0302}\u{0303}n", "E\u{0301}mile", "Ánh",
        "nguyễn", "thị", "the", "dossier", "accepted", "Idempotency-Key", "HT_2025", "H12.22-251120-0001", "X-Request-Id",
        "2025", "12", "A1", "Bệnh", "viện", "Từ", "Dũ", "-", "_", "Ω", "Άλφα", "Ölçer", "İzmir", "ǅemal", "Ⅻ", "x",
    ]
    static let gaps = [" ", " ", "  ", "\t", "\u{00A0}", ", ", ": ", "/", "-", "_", "(", ") ", "\n", "\r\n", ""]

    @Test func scalarsFindTheNamesCharactersFound() {
        var generator = SeededGenerator(seed: 1_193)
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 8) {
                text += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))]
                text += Self.gaps[Int(generator.next() % UInt64(Self.gaps.count))]
            }
            #expect(PersonalDataMasker.maskNames(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }

    @Test func namesAreMaskedAndIdentifiersKept() {
        #expect(PersonalDataMasker.maskNames("hồ sơ của Nguyễn Thị Mai đã nhận") == "hồ sơ của [name] đã nhận")
        #expect(PersonalDataMasker.maskNames("HT_2025 Nguyễn") == "HT_2025 Nguyễn")
        #expect(PersonalDataMasker.maskNames("Nguye\u{0302}\u{0303}n\u{00A0}Mai-Anh") == "[name]")
    }

    /// The character-based masking this replaced, kept as the reference.
    static func reference(_ text: String) -> String {
        var words: [(range: Range<String.Index>, capitalised: Bool)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, text[index].isLetter
                    || (text[index] == "-" && text.index(after: index) < text.endIndex && text[text.index(after: index)].isLetter
                        && index > start) {
                index = text.index(after: index)
            }
            func joins(_ character: Character) -> Bool { character == "-" || character == "_" || character.isNumber }
            let boundaryOK = (index == text.endIndex || !joins(text[index]))
                && (start == text.startIndex || !joins(text[text.index(before: start)]))
            words.append((start..<index, text[start].isUppercase && boundaryOK))
        }
        var output = ""
        var cursor = text.startIndex
        var position = 0
        while position < words.count {
            var end = position
            while end + 1 < words.count, words[end].capitalised, words[end + 1].capitalised,
                  text[words[end].range.upperBound..<words[end + 1].range.lowerBound].allSatisfy(\.isWhitespace),
                  !text[words[end].range.upperBound..<words[end + 1].range.lowerBound].isEmpty {
                end += 1
            }
            if end > position {
                output += text[cursor..<words[position].range.lowerBound] + PersonalDataMasker.maskedName
                cursor = words[end].range.upperBound
                position = end + 1
            } else {
                position += 1
            }
        }
        return output + text[cursor...]
    }
}
