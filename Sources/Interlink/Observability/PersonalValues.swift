import Foundation
import Synchronization

/// The personal values of the dossiers this process has seen (their forms, applicants and
/// the agencies' results), so that a log line or event about a dossier is checked against
/// that dossier's own values, whatever their spelling: a name in lower case or without
/// diacritics, an ID split by dots or spaces, a date in another order. Shapes are only a
/// second net.
///
/// Bounded: the oldest dossiers are forgotten first. Values never leave the process.
public final class PersonalValues: Sendable {
    /// The process's registry, filled as dossiers are stored, rendered and answered.
    public static let shared = PersonalValues(capacity: 50_000)

    /// What to look for in text about one dossier.
    public struct Needles: Sendable {
        /// Folded (lower case, no diacritics, single spaces) words and phrases.
        var texts: Set<String> = []
        /// `texts` as word sequences, by their first word: a text is matched word by word.
        /// Rebuilt by ``reindex()`` when the texts change.
        private(set) var phrases: [String: [[Substring]]] = [:]
        /// Digit strings of six or more digits, dates also in day-first order.
        var digits: Set<String> = []

        /// Where the values came from (`dossier v2`, `transfer 17`), so each is collected once.
        var sources: Set<String> = []

        var isEmpty: Bool { texts.isEmpty && digits.isEmpty }

        mutating func reindex() {
            phrases = [:]
            for text in texts {
                let words = text.split(separator: " ")
                if let first = words.first { phrases[String(first), default: []].append(words) }
            }
        }
    }

    private struct State: ~Copyable {
        var byCode: [String: Needles] = [:]
        var order: [String] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// A registry holding at most `capacity` dossiers' values.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds the values found in `value` (every string of three or more characters, every
    /// number of six or more digits) to what is known of dossier `code`. With a `source`
    /// (`dossier v2`, `transfer 17`), a value already taken from it is not collected again:
    /// every request rendered for the dossier hands it over once more.
    public func remember(_ code: String, _ value: JSONValue, source: String? = nil) {
        if let source, state.withLock({ $0.byCode[code]?.sources.contains(source) == true }) { return }
        var found = Needles()
        Self.collect(value, into: &found)
        state.withLock { state in
            if state.byCode[code] == nil {
                state.order.append(code)
                // Forgotten in batches of a tenth, so eviction is not a shift of the whole list per dossier.
                if state.order.count > capacity {
                    let evicted = max(1, capacity / 10)
                    for old in state.order.prefix(evicted) { state.byCode[old] = nil }
                    state.order.removeFirst(evicted)
                }
            }
            if let source { state.byCode[code, default: Needles()].sources.insert(source) }
            guard !found.isEmpty else { return }
            state.byCode[code, default: Needles()].texts.formUnion(found.texts)
            state.byCode[code, default: Needles()].digits.formUnion(found.digits)
            state.byCode[code]!.reindex()
        }
    }

    /// What is known of dossier `code`.
    public func needles(for code: String) -> Needles? {
        state.withLock { $0.byCode[code] }
    }

    /// Member names holding a person's name: each word of such a value is a needle too, so
    /// a given name alone, or the words in another order, is still found.
    static let nameKeys: Set<String> = ["fullname", "name", "holdername", "hoten", "tennguoithamgia"]

    private static func collect(_ value: JSONValue, key: String? = nil, into needles: inout Needles) {
        switch value {
        case .string(let text):
            add(text, to: &needles)
            if let key, nameKeys.contains(key.lowercased()) {
                for word in fold(text).split(separator: " ") where word.count >= 3 { needles.texts.insert(String(word)) }
            }
        case .number(let number) where abs(number) >= 100_000 && number.rounded() == number: needles.digits.insert(String(Int64(number)))
        case .array(let elements): for element in elements { collect(element, key: key, into: &needles) }
        case .object(let members): for (name, member) in members { collect(member, key: name, into: &needles) }
        default: break
        }
    }

    private static func add(_ text: String, to needles: inout Needles) {
        let digits = String(decoding: text.utf8.filter { (0x30...0x39).contains($0) }, as: UTF8.self)
        if let date = CalendarDate(text) {
            // A date is found in either order, with any separators, with or without leading zeros.
            let parts = date.description.split(separator: "-").map(String.init)
            needles.digits.formUnion([parts.joined(), parts.reversed().joined(),
                                      String(Int(parts[2])!) + String(Int(parts[1])!) + parts[0]])
            return
        }
        if digits.count >= 6, digits.count * 2 >= text.count { needles.digits.insert(String(digits)) }
        let folded = fold(text)
        if folded.count >= 3, folded.contains(where: \.isLetter) { needles.texts.insert(folded) }
    }
}

extension DossierSnapshot {
    /// Tells the registry this dossier's personal parts (its form and applicant), so lines
    /// about it are masked by its own values.
    public func rememberPersonalValues() {
        PersonalValues.shared.remember(code, ["form": payload["form"] ?? .null, "applicant": payload["applicant"] ?? .null], source: "dossier v\(version)")
    }
}

extension Character {
    /// `0`…`9` only.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
