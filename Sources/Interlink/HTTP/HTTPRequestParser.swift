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
    /// Works on the bytes: a simulator serving tens of thousands of requests a second spends
    /// its time here, and splitting the head into `String` lines cost a quarter of it.
    public static func parse(_ buffer: [UInt8], limits: HTTPServerLimits) -> Outcome {
        buffer.withUnsafeBufferPointer { parse(bytes: $0, limits: limits) }
    }

    private static func parse(bytes buffer: UnsafeBufferPointer<UInt8>, limits: HTTPServerLimits) -> Outcome {
        // Refuse at the first bytes what cannot be HTTP (a TLS ClientHello, say) instead of
        // waiting for a blank line that will never come.
        let method = buffer.prefix { $0 != space }
        guard method.count <= 16, method.allSatisfy(isUpper) else {
            return .invalid(status: 400, reason: "not an HTTP request")
        }
        guard let headerEnd = findHeaderEnd(buffer) else {
            return buffer.count > limits.maxHeaderBytes
                ? .invalid(status: 431, reason: "request header exceeds \(limits.maxHeaderBytes) bytes") : .incomplete
        }
        guard headerEnd <= limits.maxHeaderBytes else {
            return .invalid(status: 431, reason: "request header exceeds \(limits.maxHeaderBytes) bytes")
        }
        let head = UnsafeBufferPointer(rebasing: buffer[0..<headerEnd])
        guard head.allSatisfy({ $0 < 0x80 }) || String(validating: head, as: UTF8.self) != nil else {
            return .invalid(status: 400, reason: "request header is not valid UTF-8")
        }
        var lines = HeadLines(head)
        let requestLine = lines.next()!.split(separator: space, omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[0].allSatisfy(isUpper),
              requestLine[1].first == UInt8(ascii: "/"), let version = HTTPVersion(requestLine[2]) else {
            return .invalid(status: 400, reason: "malformed request line")
        }
        var headers = HTTPHeaders()
        while let line = lines.next() {
            guard !line.isEmpty else { continue }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex,
                  line[..<colon].allSatisfy(isTokenByte) else {
                return .invalid(status: 400, reason: "malformed header line")
            }
            headers.add(text(line[..<colon]), HTTPBytes.trimmedText(line[(colon + 1)...]))
        }
        if headers["Transfer-Encoding"] != nil {
            return .invalid(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length")
        }
        let lengths = headers.fields.filter { HTTPHeaders.sameName($0.name, "Content-Length") }.map(\.value)
        var bodyLength = 0
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 12,
                  first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let parsed = Int(first) else {
                return .invalid(status: 400, reason: "invalid Content-Length")
            }
            bodyLength = parsed
        }
        guard bodyLength <= limits.maxBodyBytes else {
            return .invalid(status: 413, reason: "request body exceeds \(limits.maxBodyBytes) bytes")
        }
        let bodyStart = headerEnd + 4
        guard buffer.count >= bodyStart + bodyLength else { return .incomplete }
        let (path, query) = splitTarget(Substring(text(requestLine[1])))
        guard let decodedPath = percentDecode(path) else {
            return .invalid(status: 400, reason: "malformed percent-encoding in the path")
        }
        let connection = headers["Connection"]?.lowercased()
        let keepAlive = version == .http11 ? connection != "close" : connection == "keep-alive"
        let request = HTTPServerRequest(method: text(requestLine[0]), path: decodedPath, query: query,
                                        headers: headers, body: Array(buffer[bodyStart..<bodyStart + bodyLength]))
        return .complete(request, consumed: bodyStart + bodyLength, keepAlive: keepAlive)
    }

    private enum HTTPVersion {
        case http10, http11

        init?(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
            switch String(decoding: bytes, as: UTF8.self) {
            case "HTTP/1.1": self = .http11
            case "HTTP/1.0": self = .http10
            default: return nil
            }
        }
    }

    /// The head's lines, split at each CR LF.
    private struct HeadLines {
        let bytes: UnsafeBufferPointer<UInt8>
        var start = 0
        var done = false

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard !done else { return nil }
            var index = start
            while index + 1 < bytes.count, !(bytes[index] == 0x0D && bytes[index + 1] == 0x0A) { index += 1 }
            guard index + 1 < bytes.count else {
                done = true
                return bytes[start...]
            }
            defer { start = index + 2 }
            return bytes[start..<index]
        }
    }

    private static let space = UInt8(ascii: " ")
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    /// RFC 9110's `tchar`: what a field name may hold.
    private static let tokenBytes: [Bool] = (0..<128).map { byte in
        let character = Character(Unicode.Scalar(UInt8(byte)))
        return character.isLetter || character.isNumber || "-_!#$%&'*+.^`|~".contains(character)
    }
    private static func isTokenByte(_ byte: UInt8) -> Bool { byte < 0x80 && tokenBytes[Int(byte)] }
    private static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The index of the blank line's `\r\n\r\n`.
    private static func findHeaderEnd(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = 0
        while index <= buffer.count - 4 {
            if buffer[index + 3] == 0x0A, buffer[index] == 0x0D, buffer[index + 1] == 0x0A, buffer[index + 2] == 0x0D { return index }
            index += 1
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
