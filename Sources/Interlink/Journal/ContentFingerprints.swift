/// What the audit chain last recorded for each audited row, held compactly while `audit
/// verify` walks the chain: a journal of a million dossiers has about four million audited
/// rows, and their keys and hex digests as strings took a gigabyte. Each key is kept as a
/// 64-bit fingerprint and each recorded value as a 128-bit one (about 40 bytes a row).
///
/// The fingerprints are `Hasher`'s, seeded afresh by every process, so nobody can prepare
/// rows that collide. Two of four million keys share a fingerprint with odds of about one
/// in two million; such a pair would be reported as changed, never hidden.
struct ContentFingerprints {
    private struct Value: Hashable {
        let first: UInt64
        let second: UInt64
    }

    private var recorded: [UInt64: Value] = [:]
    /// Dossier versions whose purge the chain recorded (`code:vN`).
    private var purged: Set<UInt64> = []

    /// What the chain recorded for `key` from now on; `nil` forgets it.
    mutating func record(key: String, value: String?) {
        recorded[Self.fingerprint(key, salt: 0)] = value.map(Self.value)
    }

    mutating func recordPurge(_ dossierVersion: String) {
        purged.insert(Self.fingerprint(dossierVersion, salt: 0))
    }

    func isPurged(_ dossierVersion: String) -> Bool {
        purged.contains(Self.fingerprint(dossierVersion, salt: 0))
    }

    /// `nil` when the chain recorded nothing for `key`; otherwise whether `value` is what it recorded.
    func matches(key: String, value: String) -> Bool? {
        recorded[Self.fingerprint(key, salt: 0)].map { $0 == Self.value(value) }
    }

    private static func value(_ text: String) -> Value {
        Value(first: fingerprint(text, salt: 1), second: fingerprint(text, salt: 2))
    }

    private static func fingerprint(_ text: String, salt: UInt8) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(salt)
        hasher.combine(text)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}
