/// One dossier entry of a register page.
public enum RegisterItem: Sendable, Hashable {
    /// A usable dossier.
    case dossier(DossierSnapshot)
    /// An entry that cannot be used, with what could be read of it and why.
    case malformed(code: String?, updatedAt: String?, reason: String)
}

/// A page of the register's change list.
public struct RegisterPage: Sendable {
    /// The entries, in the register's order.
    public var items: [RegisterItem]
    /// Where the next page starts; `nil` on the last page.
    public var next: RegisterCursor?
    /// The position of the page's last entry (skipped ones included), for advancing the cursor.
    public var lastPosition: RegisterCursor?
    /// Entries left out because their version was already stored.
    public var skipped = 0
}
