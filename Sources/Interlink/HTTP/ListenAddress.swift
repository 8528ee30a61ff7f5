/// A `host:port` to listen on. Port 0 asks the kernel for a free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name or IP address; an IPv6 address is held without brackets.
    public let host: String
    /// The TCP port; 0 asks the kernel for a free one.
    public let port: UInt16

    /// Builds an address from a host and port.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:9464`, `[::1]:9464` or `localhost:0`.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
