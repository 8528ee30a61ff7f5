/// What a log line or event may say of an agency's reasons: their codes and pointers. Their
/// messages are the agency's free text, which may quote the citizen's data in any spelling,
/// so they stay in the transfer's reasons (shown masked by `show`, written back to the
/// register for the clerk) and out of the sync log.
public enum AgencyText: Sendable {
    /// `business-rule at /child/dateOfBirth; validation-failed at /mother/personalId`.
    public static func summary(_ reasons: [JSONValue]) -> String {
        let parts = reasons.map { reason -> String in
            let code = reason["code"]?.scalarText
            let pointer = reason["pointer"]?.stringValue
            switch (code, pointer) {
            case let (code?, pointer?): return "\(code) at \(pointer)"
            case let (code?, nil): return code
            case let (nil, pointer?): return "at \(pointer)"
            case (nil, nil): return "a reason"
            }
        }
        return parts.isEmpty ? "no reason given" : parts.joined(separator: "; ") + " (the agency's words: interlinkctl show)"
    }
}
