/// The position reached in the register's change list: strictly after `(updatedSince, afterCode)`.
public struct RegisterCursor: Sendable, Hashable, CustomStringConvertible {
    public var updatedSince: String
    public var afterCode: String

    public init(updatedSince: String, afterCode: String) {
        self.updatedSince = updatedSince
        self.afterCode = afterCode
    }

    public var description: String { "\(updatedSince) after \(afterCode)" }
}
