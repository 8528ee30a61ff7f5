import Foundation
import Interlink
import InterlinkTestSupport
import Synchronization
import Testing


@Suite("HTTP server")
struct HTTPServerTests {
    static func echoServer(limits: HTTPServerLimits = HTTPServerLimits()) throws -> HTTPServer {
        let server = HTTPServer(limits: limits) { request in
            .json(200, ["method": .string(request.method), "path": .string(request.path),
                        "query": .object(request.query.mapValues(JSONValue.string)),
                        "body": .string(String(decoding: request.body, as: UTF8.self)),
                        "connection": .number(Double(request.connection))])
        }
        try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        return server
    }

    @Test func reportsThePortTheKernelChose() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        #expect(server.port > 0)
    }

    @Test func answersMalformedRequestsWith400AndKeepsServing() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        for garbage in ["NOT HTTP\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nbad header\r\n\r\n",
                        "POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET /%zz HTTP/1.1\r\n\r\n"] {
            let connection = try RawConnection(port: server.port)
            connection.send(garbage)
            let answer = connection.readAll()
            connection.close()
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(garbage.debugDescription) → \(answer)")
        }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /still/alive?x=1%3A2 HTTP/1.1\r\nConnection: close\r\n\r\n")
        let answer = connection.readAll()
        connection.close()
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.contains(#""x":"1:2""#))
    }

    @Test func enforcesHeaderAndBodyLimits() throws {
        let server = try Self.echoServer(limits: HTTPServerLimits(maxHeaderBytes: 512, maxBodyBytes: 64))
        defer { server.stop() }
        let big = try RawConnection(port: server.port)
        big.send("GET / HTTP/1.1\r\nX-Fill: \(String(repeating: "a", count: 1_000))\r\n\r\n")
        #expect(big.readAll().hasPrefix("HTTP/1.1 431"))
        big.close()
        let body = try RawConnection(port: server.port)
        body.send("POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n")
        #expect(body.readAll().hasPrefix("HTTP/1.1 413"))
        body.close()
        let chunked = try RawConnection(port: server.port)
        chunked.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(chunked.readAll().hasPrefix("HTTP/1.1 501"))
        chunked.close()
    }

    @Test func servesPipelinedRequestsOnOneKeptAliveConnection() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nConnection: close\r\n\r\n")
        let answer = connection.readAll()
        connection.close()
        #expect(answer.components(separatedBy: "HTTP/1.1 200").count == 3)
        #expect(answer.contains(#""body":"abc""#) && answer.contains(#""path":"/b""#))
    }

    @Test func runsHandlersConcurrently() async throws {
        let arrivals = Atomic(0)
        let bothInside = DispatchSemaphore(value: 0)
        let server = HTTPServer { _ in
            // The first handler waits for the second to arrive: serialized handlers would time out.
            if arrivals.add(1, ordering: .sequentiallyConsistent).newValue == 2 {
                bothInside.signal()
                return HTTPServerResponse(status: 204)
            }
            return HTTPServerResponse(status: bothInside.wait(timeout: .now() + 10) == .success ? 204 : 500)
        }
        let port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        defer { server.stop() }
        let client = try HTTPClient()
        async let first = client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/1"))
        async let second = client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/2"))
        let statuses = try await [first.status, second.status]
        #expect(statuses == [204, 204])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/net/if_inet6"), "needs IPv6 loopback"))
    func listensOnIPv6Loopback() async throws {
        let server = HTTPServer { _ in HTTPServerResponse(status: 204) }
        let port = try server.start(on: ListenAddress("[::1]:0")!)
        defer { server.stop() }
        let response = try await HTTPClient().send(HTTPRequest(method: "GET", url: "http://[::1]:\(port)/"))
        #expect(response.status == 204)
    }
}
