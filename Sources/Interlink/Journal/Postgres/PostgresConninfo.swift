import CLibPQ

/// Checks a libpq conninfo with libpq's own parser, before any connection is tried.
enum PostgresConninfo {
    /// What is wrong with `conninfo`, or nil: it must parse, and must carry no password
    /// (the password comes only from `passwordFile`).
    static func problem(_ conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0).trimmedWhitespace } ?? "not a conninfo"
            error.map { PQfreemem($0) }
            return "libpq cannot parse it: \(message)"
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", option.pointee.val != nil {
                return "must not carry a password; put it in the file named by passwordFile"
            }
            option += 1
        }
        return nil
    }
}
