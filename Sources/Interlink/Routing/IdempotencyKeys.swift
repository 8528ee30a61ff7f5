/// Idempotency keys, derived from what a request is about, never random, so every retry,
/// restart and replay of the same request carries the same key.
public enum IdempotencyKeys: Sendable {
    /// The key of one step of one dossier version: `H12.22-251120-0001:v1:birth`.
    public static func transfer(dossierCode: String, version: Int, step: String) -> String {
        "\(dossierCode):v\(version):\(step)"
    }

    /// A fresh key for a replay an administrator asked to send anew (`replay --new-key`).
    public static func resend(_ key: String, generation: Int) -> String {
        "\(key):resend-\(generation)"
    }

    /// The key of the `sequence`-th write-back body of a dossier version.
    public static func writeBack(dossierCode: String, version: Int, sequence: Int) -> String {
        "\(dossierCode):v\(version):writeback-\(sequence)"
    }

    /// The key of a receipt cancellation.
    public static func cancellation(_ transferKey: String) -> String {
        "\(transferKey):cancel"
    }
}
