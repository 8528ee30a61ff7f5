/// The position reached in the register's change list: strictly after `(updatedSince, afterCode)`.
public struct RegisterCursor: Sendable, Hashable, CustomStringConvertible {
    /// An RFC 3339 instant sent to the register as `updatedSince`: usually the last seen dossier's `updatedAt`.
    public var updatedSince: String
    /// The code of the last dossier seen with that `updatedAt`; empty takes every dossier at that instant.
    public var afterCode: String

    /// Builds a cursor from the register's `updatedSince` and `afterCode` values.
    public init(updatedSince: String, afterCode: String) {
        self.updatedSince = updatedSince
        self.afterCode = afterCode
    }

    /// Reads `<updatedSince> after <afterCode>`.
    public var description: String { "\(updatedSince) after \(afterCode)" }
}
