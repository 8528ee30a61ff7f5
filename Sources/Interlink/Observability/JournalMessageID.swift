/// The MESSAGE_IDs of the messages an operator acts on, as `systemd/interlink.catalog`
/// explains them (`journalctl -x` shows the explanation; `journalctl MESSAGE_ID=…` finds every
/// occurrence). Matched on how the message starts, since the rest carries values.
public enum JournalMessageID: Sendable {
    /// Message start → ID (128 bits, hex, as journald wants them).
    public static let all: [(prefix: String, id: String, subject: String)] = [
        ("sync started", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e801", "Interlink started syncing"),
        ("sync stopped", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e802", "Interlink stopped syncing"),
        ("circuit opened", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e803", "An agency's circuit opened"),
        ("circuit closed", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e804", "An agency's circuit closed again"),
        ("the register is unreachable", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e805", "The one-stop register is unreachable"),
        ("the register answers again", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e806", "The one-stop register answers again"),
        ("reload refused", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e807", "A reload was refused: the new configuration is invalid"),
        ("configuration reloaded", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e808", "The configuration was reloaded"),
        ("dossier outcome", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e809", "A dossier reached an outcome"),
        ("discrepancy between agency results", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80a", "Agencies' results disagree; the dossier needs review"),
        ("audit chain tip", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80b", "The audit chain's tip, to record elsewhere"),
        ("the register refused our credentials", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80c", "Write-backs paused: the register refused the credentials"),
        ("incident opened", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80d", "An incident opened"),
        ("incident closed", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80e", "An incident closed"),
        ("dossier overdue", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e80f", "A dossier is past its statutory deadline"),
        ("step overdue", "3f1c6a0d9b7e4c52a1e8f0b2c4d6e810", "A step is past its deadline at its agency"),
    ]

    /// The ID of `message`, when it is one of ``all``.
    public static func id(for message: String) -> String? {
        all.first { message.hasPrefix($0.prefix) }?.id
    }
}
