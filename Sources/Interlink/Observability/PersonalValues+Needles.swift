extension PersonalValues {
    /// What to look for in text about one dossier, kept compact: a daemon holds the values of
    /// every dossier in flight, and masking runs on every event and line about each.
    public struct Needles: Sendable {
        /// One folded phrase (`nguyen thi mai`): its words are `words[start..<end]`. Phrases are
        /// sorted by the hash of their first word, so a text's word finds its phrases by binary search.
        struct Phrase: Sendable {
            let firstWordHash: Int
            let start: Int32
            let end: Int32
        }

        /// Every phrase's words, one phrase after another.
        private(set) var words: [String] = []
        private(set) var phrases: [Phrase] = []
        /// Digit strings of six or more digits (dates also in day-first order), each once.
        private(set) var digits: [String] = []
        /// Where the values came from (`dossier v2`, `transfer 17`), so each is collected once.
        var sources: [String] = []

        var isEmpty: Bool { phrases.isEmpty && digits.isEmpty }

        /// Needles for `texts` (folded) and `digits`.
        init(texts: Set<String> = [], digits: Set<String> = []) {
            self.digits = Array(digits)
            for text in texts { append(PersonalValues.words(text)) }
            sortPhrases()
        }

        /// In the order ``phrases(startingWith:)`` searches.
        private mutating func sortPhrases() {
            phrases.sort { $0.firstWordHash < $1.firstWordHash }
        }

        private mutating func append(_ phrase: [String]) {
            guard let first = phrase.first else { return }
            let start = Int32(words.count)
            words.append(contentsOf: phrase)
            phrases.append(Phrase(firstWordHash: first.hashValue, start: start, end: Int32(words.count)))
        }

        /// Whether `phrase` (its words) is one of the phrases.
        private func contains(_ phrase: ArraySlice<String>) -> Bool {
            guard let first = phrase.first else { return true }
            return phrases(startingWith: first).contains { words[Int($0.start)..<Int($0.end)].elementsEqual(phrase) }
        }

        /// Adds `other`'s needles not already here. A dossier's values arrive a few at a time
        /// (its form, then each agency's result), so this appends rather than rebuilds.
        mutating func formUnion(_ other: Needles) {
            var added = false
            for phrase in other.phrases {
                let candidate = other.words[Int(phrase.start)..<Int(phrase.end)]
                guard !contains(candidate) else { continue }
                append(Array(candidate))
                added = true
            }
            if added { sortPhrases() }
            for number in other.digits where !digits.contains(number) { digits.append(number) }
        }

        /// Whether `number` is one of the digit strings.
        func holdsDigits(_ number: String) -> Bool {
            digits.contains(number)
        }

        /// The phrases whose first word is `word`.
        func phrases(startingWith word: String) -> ArraySlice<Phrase> {
            let hash = word.hashValue
            var low = 0, high = phrases.count
            while low < high {
                let middle = (low + high) / 2
                if phrases[middle].firstWordHash < hash { low = middle + 1 } else { high = middle }
            }
            var end = low
            while end < phrases.count, phrases[end].firstWordHash == hash { end += 1 }
            return phrases[low..<end]
        }

        /// Whether `run`, the digits of a number in the text, holds one of the digit strings.
        func anyDigits(in run: [UInt8]) -> Bool {
            for var needle in digits where needle.utf8.count <= run.count {
                let found = needle.withUTF8 { needle in
                    run.withUnsafeBufferPointer { run in
                        (0...(run.count - needle.count)).contains { offset in
                            (0..<needle.count).allSatisfy { run[offset + $0] == needle[$0] }
                        }
                    }
                }
                if found { return true }
            }
            return false
        }
    }
}
