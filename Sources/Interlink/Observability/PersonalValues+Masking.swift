extension PersonalValues.Needles {
    /// `text` with every occurrence of these values masked: words and phrases compared
    /// folded and at word boundaries, numbers by their digits whatever separates them.
    func mask(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
        let folded = PersonalValues.foldWords(text)
        let scalars = folded.scalars
        var masked = [Bool](repeating: false, count: scalars.count)
        var idMasked = [Bool](repeating: false, count: scalars.count)
        let ids = markDigits(scalars, &idMasked)
        let words = markTexts(folded.words, &masked)
        guard ids || words else { return text }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if idMasked[index] || masked[index] {
                let isID = idMasked[index]
                while index < scalars.count, isID ? idMasked[index] : masked[index] && !idMasked[index] { index += 1 }
                output.append(contentsOf: (isID ? PersonalDataMasker.maskedID : PersonalDataMasker.maskedValue).unicodeScalars)
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    /// Digit runs joined by single separators (`079225.263305`, `072 225 643 042`, `15/03/2019`)
    /// whose digits hold a known number. Whether it marked any.
    private func markDigits(_ scalars: [Unicode.Scalar], _ marks: inout [Bool]) -> Bool {
        guard !digits.isEmpty else { return false }
        func isDigit(_ position: Int) -> Bool { (0x30...0x39).contains(scalars[position].value) }
        var marked = false
        var index = 0
        while index < scalars.count {
            guard isDigit(index), index == 0 || !isDigit(index - 1) else {
                index += 1
                continue
            }
            var end = index
            var run = String.UnicodeScalarView()
            while end < scalars.count {
                if isDigit(end) {
                    run.append(scalars[end])
                    end += 1
                } else if end + 1 < scalars.count, " .-/".unicodeScalars.contains(scalars[end]), isDigit(end + 1) {
                    end += 1
                } else {
                    break
                }
            }
            // Needles have six or more digits: a shorter run holds none.
            if run.count >= 6 {
                let digits = String(run)
                if self.digits.contains(where: { digits.contains($0) }) {
                    for position in index..<end { marks[position] = true }
                    marked = true
                }
            }
            index = end
        }
        return marked
    }

    /// Known words and phrases, folded, as whole words. Whether it marked any.
    private func markTexts(_ words: [(word: String, range: ClosedRange<Int>)], _ marks: inout [Bool]) -> Bool {
        guard !phrases.isEmpty else { return false }
        var marked = false
        for (index, word) in words.enumerated() {
            guard let candidates = phrases[word.word] else { continue }
            for phrase in candidates where index + phrase.count <= words.count {
                guard (1..<phrase.count).allSatisfy({ words[index + $0].word == phrase[$0] }) else { continue }
                for position in words[index].range.lowerBound...words[index + phrase.count - 1].range.upperBound { marks[position] = true }
                marked = true
            }
        }
        return marked
    }
}

extension PersonalDataMasker {
    /// `text` about dossier `code`: first its own known values, in any spelling, then the shapes.
    public static func mask(_ text: String, about code: String?) -> String {
        mask(code.flatMap { PersonalValues.shared.needles(for: $0) }?.mask(text) ?? text)
    }

    /// A JSON value about dossier `code`: its known values in every string, then keys and shapes.
    public static func mask(_ value: JSONValue, about code: String?, forKey key: String? = nil) -> JSONValue {
        let needles = code.flatMap { PersonalValues.shared.needles(for: $0) }
        let known = needles.map { maskKnown(value, $0) } ?? value
        return key.map { mask(known, forKey: $0) } ?? mask(known)
    }

    private static func maskKnown(_ value: JSONValue, _ needles: PersonalValues.Needles) -> JSONValue {
        switch value {
        case .string(let text): .string(needles.mask(text))
        case .number(let number) where number.rounded() == number && abs(number) >= 100_000:
            needles.digits.contains(String(Int64(number))) ? .string(maskedID) : value
        case .array(let elements): .array(elements.map { maskKnown($0, needles) })
        case .object(let members): .object(members.mapValues { maskKnown($0, needles) })
        default: value
        }
    }
}
