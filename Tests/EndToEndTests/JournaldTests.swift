import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Under systemd, entries reach journald in its native protocol with their fields, so
/// `journalctl -u interlinkd DOSSIER=<code>` finds a dossier's lines. Here a real datagram
/// socket plays journald, and `JOURNAL_STREAM` names stderr as systemd would.
@Suite("End to end: native journald fields")
struct JournaldTests {
    @Test func entriesCarryTheirFieldsWhenStderrIsTheJournal() async throws {
        let directory = try TemporaryDirectory()
        let socketPath = directory.file("journal.socket")
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(receiver) }
        var size: Int32 = 4 << 20
        setsockopt(receiver, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in Array(socketPath.utf8).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)

        // journald drains its socket as entries come; so does this reader, on a thread of its own.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(receiver, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let received = Mutex<[[String: String]]>([])
        let stop = Atomic<Bool>(false)
        let reader = Thread { [receiver] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while !stop.load(ordering: .relaxed) {
                let count = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
                if count > 0 { received.withLock { $0.append(Self.fields(Array(buffer[0..<count]))) } }
            }
        }
        reader.start()
        let sim = try await SimulatorProcess(in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["INTERLINK_JOURNAL_SOCKET"] = socketPath
        // As systemd does: JOURNAL_STREAM is stderr's device and inode.
        let run = try ChildProcess("/bin/sh", ["-c", "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec \"$0\" \"$@\"",
                                               Executables.path("interlinkd"), "--config", daemon.configPath, "--until-idle", "--idle-horizon", "5"],
                                   environment: environment, outputDirectory: directory.path, name: "journald")
        #expect(await run.waitForExit(timeout: .seconds(120)) == 0, "\(run.stderr.suffix(1_000))")

        stop.store(true, ordering: .relaxed)
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) { reader.isFinished })
        let entries = received.withLock { $0 }
        #expect(entries.count > 20)
        #expect(!run.stderr.contains("\"msg\""), "no JSON lines on stderr when the journal takes the entries")
        #expect(entries.allSatisfy { $0["SYSLOG_IDENTIFIER"] == "interlinkd" && $0["PRIORITY"] != nil && $0["MESSAGE"] != nil })
        #expect(entries.contains { $0["MESSAGE_ID"] == JournalMessageID.id(for: "sync started") })
        let dossier = entries.filter { $0["DOSSIER"] == "H12.22-251120-0001" }
        #expect(!dossier.isEmpty, "journalctl DOSSIER=… finds the dossier's lines")
        #expect(entries.contains { $0["AGENCY"] != nil && $0["STEP"] != nil && $0["TRANSFER"] != nil })
        for canary in FixtureDossier.personalDataCanaries {
            #expect(!entries.contains { $0.values.contains { $0.contains(canary) } }, "\(canary) reached the journal")
        }
        await sim.stop()
    }

    /// Reads one datagram of the native protocol: `NAME=value` lines, or the binary form.
    static func fields(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == 0x0A || $0 == UInt8(ascii: "=") }) else { break }
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                let stop = bytes[end...].firstIndex(of: 0x0A) ?? bytes.count
                fields[name] = String(decoding: bytes[(end + 1)..<stop], as: UTF8.self)
                index = stop + 1
            } else {
                let length = bytes[(end + 1)..<(end + 9)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
                fields[name] = String(decoding: bytes[(end + 9)..<(end + 9 + length)], as: UTF8.self)
                index = end + 9 + length + 1
            }
        }
        return fields
    }
}
