import Synchronization

/// The personal values of the dossiers this process has seen (their forms, applicants and
/// the agencies' results), so that a log line or event about a dossier is checked against
/// that dossier's own values, whatever their spelling: a name in lower case or without
/// diacritics, an ID split by dots or spaces, a date in another order. Shapes are only a
/// second net.
///
/// Bounded: the least recently used dossiers are forgotten first. Values never leave the process.
public final class PersonalValues: Sendable {
    /// The process's registry, filled as dossiers are stored, rendered and answered. The work in
    /// flight is bounded by the agencies' concurrency (tens of dossiers), and every request hands
    /// its dossier's values over again, so the most recently used few thousand cover it many
    /// times over; holding every dossier of a 100,000 backlog would cost hundreds of megabytes.
    public static let shared = PersonalValues(capacity: 2_048)

    /// A dossier's needles and when they were last used, so the least recently used go first.
    private struct Entry {
        var needles: Needles
        var lastUse: UInt64
    }

    private struct State: ~Copyable {
        var byCode: [String: Entry] = [:]
        var clock: UInt64 = 0

        /// `code`'s entry, marked used now.
        mutating func touch(_ code: String) -> Needles? {
            clock += 1
            byCode[code]?.lastUse = clock
            return byCode[code]?.needles
        }
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
        if let source, state.withLock({ $0.touch(code)?.sources.contains(source) == true }) { return }
        var texts: Set<String> = [], digits: Set<String> = []
        Self.collect(value, texts: &texts, digits: &digits)
        let found = Needles(texts: texts, digits: digits)
        state.withLock { state in
            state.clock += 1
            var entry: Entry
            if var known = state.byCode.removeValue(forKey: code) {
                if !found.isEmpty { known.needles.formUnion(found) }
                entry = known
            } else {
                // A dossier met for the first time takes what was found as it is: there is nothing to merge.
                entry = Entry(needles: found, lastUse: 0)
            }
            entry.lastUse = state.clock
            if let source { entry.needles.sources.append(source) }
            state.byCode[code] = entry
            if state.byCode.count > capacity { evictLeastRecentlyUsed(&state) }
        }
    }

    /// Forgets the least recently used tenth, so eviction is not a scan of the whole registry per dossier.
    private func evictLeastRecentlyUsed(_ state: inout State) {
        let uses = state.byCode.values.map(\.lastUse).sorted()
        let cutoff = uses[min(uses.count - 1, max(1, capacity / 10) - 1)]
        state.byCode = state.byCode.filter { $0.value.lastUse > cutoff }
    }

    /// What is known of dossier `code`.
    public func needles(for code: String) -> Needles? {
        state.withLock { $0.touch(code) }
    }

    /// How many dossiers' values are held.
    public var count: Int { state.withLock { $0.byCode.count } }

    /// Member names holding a person's name: each word of such a value is a needle too, so
    /// a given name alone, or the words in another order, is still found.
    static let nameKeys: Set<String> = ["fullname", "name", "holdername", "hoten", "tennguoithamgia"]

    private static func collect(_ value: JSONValue, key: String? = nil, texts: inout Set<String>, digits: inout Set<String>) {
        switch value {
        case .string(let text):
            guard let folded = add(text, texts: &texts, digits: &digits), let key, isNameKey(key) else { return }
            for word in words(folded) where word.utf8.count >= 3 && word.count >= 3 { texts.insert(word) }
        case .number(let number) where abs(number) >= 100_000 && number.rounded() == number: digits.insert(String(Int64(number)))
        case .array(let elements): for element in elements { collect(element, key: key, texts: &texts, digits: &digits) }
        case .object(let members): for (name, member) in members { collect(member, key: name, texts: &texts, digits: &digits) }
        default: break
        }
    }

    /// Whether `key` is one of ``nameKeys`` in any case, without lowering every member name.
    private static func isNameKey(_ key: String) -> Bool {
        (4...15).contains(key.utf8.count) && nameKeys.contains(key.lowercased())
    }

    /// Adds `text`'s needles; returns its folded form when that went in as a text needle.
    private static func add(_ text: String, texts: inout Set<String>, digits found: inout Set<String>) -> String? {
        // Most strings hold fewer than six digits: counted first, they are gathered only when they count.
        var digitCount = 0
        for byte in text.utf8 where (0x30...0x39).contains(byte) { digitCount += 1 }
        if digitCount >= 6, let date = CalendarDate(text) {
            // A date is found in either order, with any separators, with or without leading zeros.
            let parts = date.description.split(separator: "-").map(String.init)
            found.formUnion([parts.joined(), parts.reversed().joined(), String(Int(parts[2])!) + String(Int(parts[1])!) + parts[0]])
            return nil
        }
        if digitCount >= 6, digitCount * 2 >= text.count {
            found.insert(String(decoding: text.utf8.filter { (0x30...0x39).contains($0) }, as: UTF8.self))
        }
        let folded = fold(text)
        guard !folded.unicodeScalars.dropFirst(2).isEmpty, hasLetter(folded) else { return nil }
        texts.insert(folded)
        return folded
    }

    /// Whether a folded text holds a letter: most are ASCII, where no property need be read.
    private static func hasLetter(_ folded: String) -> Bool {
        folded.utf8.contains { (0x61...0x7A).contains($0) } || folded.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.isAlphabetic }
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
