extension PersonalValues.Needles {
    /// `text` with every occurrence of these values masked: words and phrases compared
    /// folded and at word boundaries, numbers by their digits whatever separates them.
    public func mask(_ text: String) -> String {
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
        var run: [UInt8] = []
        while index < scalars.count {
            guard isDigit(index), index == 0 || !isDigit(index - 1) else {
                index += 1
                continue
            }
            var end = index
            run.removeAll(keepingCapacity: true)
            while end < scalars.count {
                if isDigit(end) {
                    run.append(UInt8(scalars[end].value))
                    end += 1
                } else if end + 1 < scalars.count, " .-/".unicodeScalars.contains(scalars[end]), isDigit(end + 1) {
                    end += 1
                } else {
                    break
                }
            }
            // Needles have six or more digits: a shorter run holds none.
            if run.count >= 6, anyDigits(in: run) {
                for position in index..<end { marks[position] = true }
                marked = true
            }
            index = end
        }
        return marked
    }

    /// Known words and phrases, folded, as whole words. Whether it marked any.
    private func markTexts(_ found: [(word: String, range: ClosedRange<Int>)], _ marks: inout [Bool]) -> Bool {
        guard !phrases.isEmpty else { return false }
        var marked = false
        for (index, word) in found.enumerated() {
            for phrase in phrases(startingWith: word.word) {
                let length = Int(phrase.end - phrase.start)
                guard index + length <= found.count,
                      (0..<length).allSatisfy({ found[index + $0].word == words[Int(phrase.start) + $0] }) else { continue }
                for position in found[index].range.lowerBound...found[index + length - 1].range.upperBound { marks[position] = true }
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
        maskedKnown(value, needles) ?? value
    }

    /// `value` with its known values masked, or nil where none is in it: most values hold none,
    /// and rebuilding them for every event would be most of what masking costs.
    private static func maskedKnown(_ value: JSONValue, _ needles: PersonalValues.Needles) -> JSONValue? {
        switch value {
        case .string(let text):
            let masked = needles.mask(text)
            return masked == text ? nil : .string(masked)
        case .number(let number) where number.rounded() == number && abs(number) >= 100_000:
            return needles.holdsDigits(String(Int64(number))) ? .string(maskedID) : nil
        case .array(let elements):
            var masked: [JSONValue]?
            for (index, element) in elements.enumerated() {
                guard let after = maskedKnown(element, needles) else { continue }
                if masked == nil { masked = elements }
                masked![index] = after
            }
            return masked.map(JSONValue.array)
        case .object(let members):
            var masked: [String: JSONValue]?
            for (key, member) in members {
                guard let after = maskedKnown(member, needles) else { continue }
                if masked == nil { masked = members }
                masked![key] = after
            }
            return masked.map(JSONValue.object)
        default:
            return nil
        }
    }
}
