import Foundation

/// A real `AF_UNIX` datagram socket playing systemd's side of `$NOTIFY_SOCKET`.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: the descriptor is only read from, by one caller at a time in tests.
    public let path: String
    private let descriptor: Int32

    public init(directory: TemporaryDirectory) throws {
        path = directory.file("notify.sock")
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    /// The next datagram, or `nil` after 200 ms without one.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Collects datagrams until one contains `field` (e.g. `READY=1`), or the timeout passes.
    public func waitFor(_ field: String, timeout: Duration, into messages: inout [String]) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let message = receive() {
                messages.append(message)
                if message.split(separator: "\n").contains(Substring(field)) { return true }
            }
        }
        return false
    }
}
