#if canImport(Glibc)
import Glibc
#endif

/// Why a listening socket could not be set up.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The `host:port` the server tried to listen on.
    public let address: String
    /// The step that failed: `resolving the host`, `socket`, `bind` or `listen`.
    public let operation: String
    /// The `errno` of the failure (`EADDRNOTAVAIL` when the host did not resolve).
    public let errno: Int32

    /// The failure with `strerror` text and advice for a port in use or a privileged port.
    public var description: String {
        let reason = String(cString: strerror(errno))
        let advice = errno == EADDRINUSE ? "; another process holds the port, pick another or stop it"
            : errno == EACCES ? "; ports below 1024 need privileges" : ""
        return "cannot listen on \(address): \(operation) failed: \(reason)\(advice)"
    }
}

/// Opens listening TCP sockets through getaddrinfo, for IPv4 and IPv6 hosts alike.
enum ListeningSocket {
    /// A bound, listening, close-on-exec socket and the port the kernel gave it.
    static func open(_ address: ListenAddress, backlog: Int32 = 1_024) throws(HTTPServerError) -> (descriptor: Int32, port: UInt16) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(address.host, String(address.port), &hints, &list)
        guard lookup == 0, let first = list else {
            throw HTTPServerError(address: address.description, operation: "resolving the host", errno: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPServerError(address: address.description, operation: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let failure = errno
            close(descriptor)
            throw HTTPServerError(address: address.description, operation: "bind", errno: failure)
        }
        guard listen(descriptor, backlog) == 0 else {
            let failure = errno
            close(descriptor)
            throw HTTPServerError(address: address.description, operation: "listen", errno: failure)
        }
        return (descriptor, boundPort(descriptor))
    }

    static func boundPort(_ descriptor: Int32) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return 0 }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }
}
