#if canImport(Glibc)
import Glibc
#endif

/// Writes log entries to journald in its native protocol, so `journalctl -u interlinkd
/// DOSSIER=<code>` finds a dossier's lines: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, DOSSIER,
/// AGENCY, STEP, TRANSFER, a MESSAGE_ID for the messages the catalog explains, and every other
/// context field upper-cased. Each entry is one datagram to `/run/systemd/journal/socket`; no
/// libsystemd is needed. An entry the socket refuses, or cannot take at once, goes to stderr
/// as its JSON line.
public final class JournaldSink: LogSink {
    private let socket: Int32
    private let address: sockaddr_un
    private let identifier: String
    private let fallback = StandardErrorSink()

    /// A sink for `socketPath`, when stderr is the journal's stream (`JOURNAL_STREAM` names
    /// its device and inode, as systemd sets it); `nil` otherwise, and the JSON lines stay.
    public static func ifStderrIsTheJournal(environment: [String: String], identifier: String,
                                            socketPath: String = "/run/systemd/journal/socket") -> JournaldSink? {
        guard let stream = environment["JOURNAL_STREAM"], stream.split(separator: ":").count == 2 else { return nil }
        var status = stat()
        guard fstat(2, &status) == 0, stream == "\(status.st_dev):\(status.st_ino)" else { return nil }
        return JournaldSink(socketPath: socketPath, identifier: identifier)
    }

    init?(socketPath: String, identifier: String) {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard descriptor >= 0, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        socket = descriptor
        self.address = address
        self.identifier = identifier
    }

    deinit { close(socket) }

    /// A line without fields, as MESSAGE alone.
    public func write(line: String) {
        send(["MESSAGE": line, "SYSLOG_IDENTIFIER": identifier], fallback: line)
    }

    /// The entry as journal fields.
    public func write(entry: LogEntry) {
        var fields = ["MESSAGE": entry.message, "PRIORITY": String(entry.level.priority), "SYSLOG_IDENTIFIER": identifier]
        if let id = JournalMessageID.id(for: entry.message) { fields["MESSAGE_ID"] = id }
        for (key, value) in entry.fields {
            fields[Self.fieldName(key)] = value.stringValue ?? JSONWriter.string(value)
        }
        send(fields, fallback: entry.line)
    }

    /// `http_status` → `HTTP_STATUS`; anything but letters and digits becomes `_`, and a name
    /// never starts with `_` (those are journald's own).
    static func fieldName(_ key: String) -> String {
        let name = String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return name.first.map { $0.isLetter } == true ? name : "F" + name
    }

    private func send(_ fields: [String: String], fallback line: String) {
        var datagram: [UInt8] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            datagram += Array(name.utf8)
            let bytes = Array(value.utf8)
            if bytes.contains(0x0A) {
                // A value with a line break goes in the binary form: name, newline, 64-bit little-endian length, value.
                datagram.append(0x0A)
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { datagram += $0 }
                datagram += bytes
            } else {
                datagram.append(UInt8(ascii: "="))
                datagram += bytes
            }
            datagram.append(0x0A)
        }
        var target = address
        let sent = datagram.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    // Never blocks: a journal that cannot keep up gets the line on stderr instead of stalling the sync.
                    sendto(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if sent < 0 { fallback.write(line: line) }
    }
}
