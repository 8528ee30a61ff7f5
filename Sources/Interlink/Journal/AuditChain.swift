/// The hash chain over the append-only events: each event's hash is SHA-256 of the previous
/// event's hash followed by the event's canonical bytes (sequence number included), so
/// altering, deleting or inserting any one event breaks every hash after it.
public enum AuditChain: Sendable {
    /// The canonical serialisation that is hashed: a JSON array with sorted object keys.
    public static func canonicalBytes(sequence: Int64, event: NewEvent) -> [UInt8] {
        JSONWriter.bytes([
            .number(Double(sequence)), .number(Double(event.at.millisecondsSinceEpoch)), .string(event.level.rawValue),
            .string(event.kind.rawValue), event.dossierCode.map(JSONValue.string) ?? .null,
            event.dossierVersion.map { .number(Double($0)) } ?? .null, event.step.map(JSONValue.string) ?? .null,
            event.agency.map(JSONValue.string) ?? .null, event.transferID.map { .number(Double($0)) } ?? .null,
            .string(event.message), event.detail ?? .null,
        ])
    }

    public static func link(previous: [UInt8], sequence: Int64, event: NewEvent) -> [UInt8] {
        SHA256.hash(previous + canonicalBytes(sequence: sequence, event: event))
    }

    /// Where a verification stopped.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// The sequence number of the first event that does not verify.
        public let sequence: Int64
        public let reason: String
        public var description: String { "the chain breaks at event \(sequence): \(reason)" }
    }
}
