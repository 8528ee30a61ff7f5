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

    @Test func otherScriptsLettersFoldToTheirBase() {
        #expect(PersonalValues.fold("Ángel Müller-Øre ÇA") == "angel muller ore ca")
        #expect(PersonalValues.fold("Άλφα") == "αλφα")
        #expect(PersonalValues.fold("Nguyễn Thị Mai, 15/03/2019") == "nguyen thi mai 15 03 2019")
    }
}
