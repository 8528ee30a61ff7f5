extension PersonalValues.Needles {
    /// `text` with every occurrence of these values masked: words and phrases compared
    /// folded and at word boundaries, numbers by their digits whatever separates them.
    func mask(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
        let characters = Array(text)
        var masked = [Bool](repeating: false, count: characters.count)
        var idMasked = [Bool](repeating: false, count: characters.count)
        markDigits(characters, &idMasked)
        markTexts(characters, &masked)
        var output = ""
        var index = 0
        while index < characters.count {
            if idMasked[index] || masked[index] {
                let isID = idMasked[index]
                while index < characters.count, isID ? idMasked[index] : masked[index] && !idMasked[index] { index += 1 }
                output += isID ? PersonalDataMasker.maskedID : PersonalDataMasker.maskedValue
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }

    /// Digit runs joined by single separators (`079225.263305`, `072 225 643 042`, `15/03/2019`)
    /// whose digits hold a known number.
    private func markDigits(_ characters: [Character], _ marks: inout [Bool]) {
        guard !digits.isEmpty else { return }
        var index = 0
        while index < characters.count {
            guard characters[index].isASCIIDigit, index == 0 || !characters[index - 1].isASCIIDigit else {
                index += 1
                continue
            }
            var end = index
            var run = ""
            while end < characters.count {
                if characters[end].isASCIIDigit {
                    run.append(characters[end])
                    end += 1
                } else if end + 1 < characters.count, " .-/".contains(characters[end]), characters[end + 1].isASCIIDigit {
                    end += 1
                } else {
                    break
                }
            }
            if digits.contains(where: { run.contains($0) }) {
                for position in index..<end { marks[position] = true }
            }
            index = end
        }
    }

    /// Known words and phrases, folded, at word boundaries.
    private func markTexts(_ characters: [Character], _ marks: inout [Bool]) {
        guard !texts.isEmpty else { return }
        // The folded text, one entry per original character (spaces collapsed into the first).
        var folded: [Character] = []
        var origin: [Int] = []
        for (position, character) in characters.enumerated() {
            if character.isWhitespace || !(character.isLetter || character.isNumber) {
                if folded.last != " " {
                    folded.append(" ")
                    origin.append(position)
                }
                continue
            }
            for piece in PersonalValues.foldCharacter(character) {
                folded.append(piece)
                origin.append(position)
            }
        }
        func isWordCharacter(_ position: Int) -> Bool {
            position >= 0 && position < folded.count && (folded[position].isLetter || folded[position].isNumber)
        }
        for needle in texts {
            let pattern = Array(needle)
            guard pattern.count <= folded.count else { continue }
            var start = 0
            while start + pattern.count <= folded.count {
                if folded[start] == pattern[0], !isWordCharacter(start - 1), !isWordCharacter(start + pattern.count),
                   folded[start..<start + pattern.count].elementsEqual(pattern) {
                    for position in origin[start]...origin[start + pattern.count - 1] { marks[position] = true }
                    start += pattern.count
                } else {
                    start += 1
                }
            }
        }
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
