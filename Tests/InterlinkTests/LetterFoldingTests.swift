import Foundation
@testable import Interlink
import Testing

/// Masking compares texts folded to plain lower-case letters. The daemon folds with the
/// standard library's Unicode names rather than Foundation (which needs ICU); Foundation's
/// diacritic folding is the reference here.
@Suite("Letter folding")
struct LetterFoldingTests {
    /// Every vowel of Vietnamese with every tone, and đ.
    static let vietnamese = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"

    @Test func everyVietnameseLetterFoldsAsFoundationFoldsIt() {
        for letter in (Self.vietnamese + Self.vietnamese.uppercased()).map(String.init) {
            let reference = letter.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            let expected = reference == "đ" ? "d" : reference
            #expect(PersonalValues.fold(letter) == expected, "\(letter)")
            // The same letter decomposed (a base letter and combining marks) folds the same.
            let decomposed = letter.decomposedStringWithCanonicalMapping
            #expect(PersonalValues.fold(decomposed) == expected, "\(letter) decomposed")
        }
    }

    /// The table that folds Latin letters without a lock holds what folding by name gives,
    /// for every scalar it covers.
    @Test func theLatinTableFoldsAsNamesDo() {
        for range in PersonalValues.LatinFolds.ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                #expect(PersonalValues.fold(String(scalar)) == PersonalValues.foldByName(scalar) ?? "", "U+\(String(value, radix: 16))")
            }
        }
        #expect(PersonalValues.words(PersonalValues.fold(" Nguyễn  Thị-Mai ")) == ["nguyen", "thi", "mai"])
    }

    @Test func otherScriptsLettersFoldToTheirBase() {
        #expect(PersonalValues.fold("Ángel Müller-Øre ÇA") == "angel muller ore ca")
        #expect(PersonalValues.fold("Άλφα") == "αλφα")
        #expect(PersonalValues.fold("Nguyễn Thị Mai, 15/03/2019") == "nguyen thi mai 15 03 2019")
    }
}
