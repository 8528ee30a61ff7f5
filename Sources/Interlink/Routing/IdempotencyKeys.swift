/// How Interlink names its effectful requests, so a repeat is recognised as one.
///
/// A push is named by what it asks, not by when: its key is derived from the dossier code,
/// the step and the bytes of the rendered request. So the same request carries the same key
/// after a crash, after a new dossier version that did not change it, and after the journal
/// was lost or restored from an old backup: an agency that already applied it answers with
/// its stored result instead of applying it again. A request whose content changed is a new
/// request, with a new key. Recovery therefore relies on the agency remembering keys; one
/// that forgets them early is covered by reading the register's interconnection record
/// before a version the journal never saw is pushed (see ``Planner``).
public enum IdempotencyKeys: Sendable {
    /// What a newly planned transfer stores as its key: the request's content is not known
    /// until its step is ready, so the key sent is derived then (``push(stored:dossierCode:step:body:)``).
    /// It is unique per version and step, as the journal requires of stored keys.
    public static func transfer(dossierCode: String, version: Int, step: String) -> String {
        "\(dossierCode):v\(version):\(step):by-content"
    }

    /// The key a push is sent with: derived from its content when the transfer stores the
    /// planned placeholder, or the stored key itself. Transfers planned before keys were
    /// derived from content keep the key they were first sent with, and so does a replay
    /// with a new key.
    public static func push(stored: String, dossierCode: String, step: String, body: [UInt8]) -> String {
        guard stored.hasSuffix(":by-content") else { return stored }
        return "\(dossierCode):\(step):\(digest(body))"
    }

    /// A fresh key for a replay an administrator asked to send anew (`replay --new-key`).
    public static func resend(_ key: String, generation: Int) -> String {
        let base = key.hasSuffix(":by-content") ? String(key.dropLast(":by-content".count)) : key
        return "\(base):resend-\(generation)"
    }

    /// The key of a write-back body: derived from the body, so a restored journal's write-back
    /// is either the one the register stored (same body, same key: its stored answer) or a
    /// new one that supersedes it (new body, new key), never a reused key with a new body.
    public static func writeBack(dossierCode: String, version: Int, body: String, target: WriteBackTarget = .register) -> String {
        // The register's keep their name; the portal's name their call, so no two targets share a key.
        "\(dossierCode):v\(version):\(target == .register ? "writeback" : target.rawValue):\(digest(Array(body.utf8)))"
    }

    /// The key of a receipt cancellation.
    public static func cancellation(_ transferKey: String) -> String {
        "\(transferKey):cancel"
    }

    /// 128 bits of SHA-256, in hex: collisions are out of reach, and keys stay short.
    private static func digest(_ bytes: [UInt8]) -> String {
        String(SHA256.hex(SHA256.hash(bytes)).prefix(32))
    }
}
