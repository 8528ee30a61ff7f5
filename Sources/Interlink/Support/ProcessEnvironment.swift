#if canImport(Glibc)
import Glibc
#endif

/// The process environment as a dictionary, read straight from `environ`.
public enum ProcessEnvironment: Sendable {
    /// Every `NAME=value` entry of `environ`, read afresh on each access; entries without `=` are skipped.
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
