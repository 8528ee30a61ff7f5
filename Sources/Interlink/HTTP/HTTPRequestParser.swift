/// Limits that protect the server from oversized or slow clients.
public struct HTTPServerLimits: Sendable, Hashable {
    /// Largest request head (request line and headers) accepted, in bytes; beyond it the answer is 431.
    public var maxHeaderBytes: Int
    /// Largest `Content-Length` accepted, in bytes; beyond it the answer is 413.
    public var maxBodyBytes: Int
    /// Open connections at most; further clients get a 503 and are closed.
    public var maxConnections: Int
    /// An idle keep-alive connection is closed after this long.
    public var idleTimeoutSeconds: Int
    /// A request whose bytes have started arriving must be complete within this long.
    public var requestDeadlineSeconds: Int
    /// A new connection must start its first request within this long: one that connects and
    /// says nothing is closed soon, so idle connections cannot hold the slots.
    public var firstRequestSeconds: Int

    /// Builds limits; defaults: 16 KiB head, 1 MiB body, 512 connections, 30 s idle, 10 s per request, 10 s to the first request.
    public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1 << 20, maxConnections: Int = 512, idleTimeoutSeconds: Int = 30,
                requestDeadlineSeconds: Int = 10, firstRequestSeconds: Int = 10) {
        self.firstRequestSeconds = firstRequestSeconds
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestDeadlineSeconds = requestDeadlineSeconds
    }
}

/// Parses HTTP/1.1 requests framed by `Content-Length`. Pure and allocation-light, so it
/// can be fuzzed on its own.
public enum HTTPRequestParser: Sendable {
    /// What ``parse(_:limits:)`` made of the bytes so far.
    public enum Outcome: Sendable {
        /// More bytes are needed.
        case incomplete
        /// A whole request, the bytes it used, and whether the client wants the connection kept.
        case complete(HTTPServerRequest, consumed: Int, keepAlive: Bool)
        /// The bytes can never become a valid request; answer `status` and close.
        case invalid(status: Int, reason: String)
    }

    /// Parses the first request in `buffer`, which may hold only part of it or more than one request.
    public static func parse(_ buffer: [UInt8], limits: HTTPServerLimits) -> Outcome {
        // Refuse at the first bytes what cannot be HTTP (a TLS ClientHello, say) instead of
        // waiting for a blank line that will never come.
        let method = buffer.prefix { $0 != UInt8(ascii: " ") }
        guard method.count <= 16, method.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return .invalid(status: 400, reason: "not an HTTP request")
        }
        guard let headerEnd = findHeaderEnd(buffer) else {
            return buffer.count > limits.maxHeaderBytes
                ? .invalid(status: 431, reason: "request header exceeds \(limits.maxHeaderBytes) bytes") : .incomplete
        }
        guard headerEnd <= limits.maxHeaderBytes else {
            return .invalid(status: 431, reason: "request header exceeds \(limits.maxHeaderBytes) bytes")
        }
        guard let head = String(validating: buffer[0..<headerEnd], as: UTF8.self) else {
            return .invalid(status: 400, reason: "request header is not valid UTF-8")
        }
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
              requestLine[1].hasPrefix("/"), requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0" else {
            return .invalid(status: 400, reason: "malformed request line")
        }
        var headers = HTTPHeaders()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  line[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_!#$%&'*+.^`|~".contains($0)) }),
                  !line.first!.isWhitespace else {
                return .invalid(status: 400, reason: "malformed header line")
            }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...]).trimmedWhitespace)
        }
        if headers["Transfer-Encoding"] != nil {
            return .invalid(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length")
        }
        let lengths = headers.fields.filter { HTTPHeaders.sameName($0.name, "Content-Length") }.map(\.value)
        var bodyLength = 0
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 12,
                  first.allSatisfy({ $0.isASCII && $0.isNumber }), let parsed = Int(first) else {
                return .invalid(status: 400, reason: "invalid Content-Length")
            }
            bodyLength = parsed
        }
        guard bodyLength <= limits.maxBodyBytes else {
            return .invalid(status: 413, reason: "request body exceeds \(limits.maxBodyBytes) bytes")
        }
        let bodyStart = headerEnd + 4
        guard buffer.count >= bodyStart + bodyLength else { return .incomplete }
        let target = requestLine[1]
        let (path, query) = splitTarget(target)
        guard let decodedPath = percentDecode(path) else {
            return .invalid(status: 400, reason: "malformed percent-encoding in the path")
        }
        let connection = headers["Connection"]?.lowercased()
        let keepAlive = requestLine[2] == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let request = HTTPServerRequest(method: String(requestLine[0]), path: decodedPath, query: query,
                                        headers: headers, body: Array(buffer[bodyStart..<bodyStart + bodyLength]))
        return .complete(request, consumed: bodyStart + bodyLength, keepAlive: keepAlive)
    }

    /// The index of the blank line's `\r\n\r\n`.
    private static func findHeaderEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
            return index
        }
        return nil
    }

    private static func splitTarget(_ target: Substring) -> (Substring, [String: String]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0].replacing("+", with: " ")[...])
            let value = parts.count > 1 ? percentDecode(parts[1].replacing("+", with: " ")[...]) : ""
            if let name, let value { query[name] = value }
        }
        return (target[..<mark], query)
    }

    /// Decodes `%XX` escapes; `nil` for a malformed escape or bytes that are not UTF-8.
    public static func percentDecode(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Hex.value), let low = iterator.next().flatMap(Hex.value) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
