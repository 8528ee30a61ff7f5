/// A request as the server received it.
public struct HTTPServerRequest: Sendable {
    /// The request method as sent, such as `GET` or `POST` (uppercase).
    public var method: String
    /// The path without the query, percent-decoded.
    public var path: String
    /// Query parameters, percent-decoded; the last one wins when a name repeats.
    public var query: [String: String]
    /// The request's header fields, in the order received.
    public var headers: HTTPHeaders
    /// The body's bytes, exactly `Content-Length` of them; empty when there is none.
    public var body: [UInt8]
    /// Which of the server's connections carried it (1, 2, …): shows keep-alive reuse.
    public var connection: Int = 0

    /// Builds a request, as the parser does or a test would; `connection` starts at 0.
    public init(method: String, path: String, query: [String: String] = [:], headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The path split into its segments: `/receipts/R1/cancel` → `["receipts", "R1", "cancel"]`.
    public var pathSegments: [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// What the server sends back, or how it ends the connection instead.
public struct HTTPServerResponse: Sendable {
    /// How the connection ends after this response.
    public enum Disposition: Sendable {
        /// Send the response and keep the connection when the client allows it.
        case normal
        /// Send the response and close.
        case close
        /// Send nothing and reset the connection (TCP RST), as a crashed peer would.
        case reset
    }

    /// The HTTP status code; ignored for a `.reset`.
    public var status: Int
    /// Header fields to send; the server sets `Content-Length` and `Connection` itself.
    public var headers: HTTPHeaders
    /// The body's bytes.
    public var body: [UInt8]
    /// Whether the connection stays open, closes, or is reset after this response.
    public var disposition: Disposition

    /// Builds a response; by default empty, with no extra headers, keeping the connection.
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], disposition: Disposition = .normal) {
        self.status = status
        self.headers = headers
        self.body = body
        self.disposition = disposition
    }

    /// A JSON response with `Content-Type: application/json`.
    public static func json(_ status: Int, _ value: JSONValue, headers: HTTPHeaders = HTTPHeaders()) -> HTTPServerResponse {
        var headers = headers
        headers.set("Content-Type", "application/json")
        return HTTPServerResponse(status: status, headers: headers, body: JSONWriter.bytes(value))
    }

    /// The contracts' error body: `{"error":{"code":…,"message":…}}`.
    public static func error(_ status: Int, code: String, message: String, extra: [String: JSONValue] = [:]) -> HTTPServerResponse {
        var error = extra
        error["code"] = .string(code)
        error["message"] = .string(message)
        return json(status, ["error": .object(error)])
    }

    /// Sends nothing and resets the connection, as a crashed peer would.
    public static let reset = HTTPServerResponse(status: 0, disposition: .reset)

    /// The standard reason phrase for the status line.
    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }

    /// The bytes on the wire, with `Content-Length` and `Connection` set by the server.
    func serialized(keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for field in headers where !HTTPHeaders.sameName(field.name, "Content-Length") && !HTTPHeaders.sameName(field.name, "Connection") {
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }
}
