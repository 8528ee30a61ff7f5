import Foundation
import Interlink
import InterlinkTestSupport
import Synchronization
import Testing

@Suite("HTTP client over libcurl")
struct HTTPClientTests {
    /// A server whose handler the test supplies, on a kernel-chosen loopback port.
    static func serve(_ handler: @escaping HTTPHandler) throws -> (HTTPServer, String) {
        let server = HTTPServer(handler: handler)
        let port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        return (server, "http://127.0.0.1:\(port)")
    }

    /// A server that holds every request until the test ends (or 10 s pass), for in-flight cases.
    static func serveHeld() throws -> (HTTPServer, String, release: @Sendable () -> Void) {
        let release = DispatchSemaphore(value: 0)
        let (server, base) = try serve { _ in
            _ = release.wait(timeout: .now() + 10)
            release.signal()  // pass the release on to the next held request
            return HTTPServerResponse(status: 200)
        }
        return (server, base, { release.signal() })
    }

    /// A port nothing listens on: bound by us and closed again.
    static func closedPort() throws -> UInt16 {
        let server = HTTPServer { _ in HTTPServerResponse(status: 200) }
        let port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        server.stop()
        return port
    }

    @Test func sendsMethodHeadersAndBodyAndReadsTheResponse() async throws {
        let (server, base) = try Self.serve { request in
            var headers = HTTPHeaders()
            headers.add("Retry-After", "7")
            headers.add("X-Echo-Key", request.headers["Idempotency-Key"] ?? "")
            return HTTPServerResponse(status: 202, headers: headers, body: Array("\(request.method) \(request.path) ".utf8) + request.body)
        }
        defer { server.stop() }
        let client = try HTTPClient()
        var headers = HTTPHeaders()
        headers.add("Idempotency-Key", "H1-v1-birth")
        headers.add("Content-Type", "application/json")
        let response = try await client.send(HTTPRequest(method: "PUT", url: base + "/dossiers/H1", headers: headers, body: Array(#"{"a":1}"#.utf8)))
        #expect(response.status == 202)
        #expect(response.headers["retry-after"] == "7")
        #expect(response.headers["X-Echo-Key"] == "H1-v1-birth")
        #expect(String(decoding: response.body, as: UTF8.self) == #"PUT /dossiers/H1 {"a":1}"#)
    }

    @Test func reusesKeptAliveConnections() async throws {
        let (server, base) = try Self.serve { request in .json(200, ["connection": .number(Double(request.connection))]) }
        defer { server.stop() }
        let client = try HTTPClient()
        var connections: Set<Int> = []
        for _ in 0..<20 {
            let response = try await client.send(HTTPRequest(method: "POST", url: base + "/x", body: Array("{}".utf8)))
            connections.insert(try response.json()["connection"]?.intValue ?? -1)
        }
        #expect(connections.count == 1)
    }

    @Test func mapsARefusedConnectionToAConnectionError() async throws {
        let port = try Self.closedPort()
        let client = try HTTPClient()
        await #expect {
            try await client.send(HTTPRequest(method: "GET", url: "http://user:secret@127.0.0.1:\(port)/x?token=abc"))
        } throws: { error in
            guard let error = error as? HTTPClientError else { return false }
            return error.kind == .connection && error.isTransient && error.curlCode == 7
                && !error.description.contains("secret") && !error.description.contains("token=abc")
        }
    }

    @Test func timesOutASlowServer() async throws {
        let (server, base, release) = try Self.serveHeld()
        defer {
            release()
            server.stop()
        }
        let client = try HTTPClient()
        await #expect {
            try await client.send(HTTPRequest(method: "GET", url: base, options: HTTPRequestOptions(timeoutMs: 200)))
        } throws: { ($0 as? HTTPClientError)?.kind == .timeout }
    }

    @Test func abortsAResponseLargerThanTheLimit() async throws {
        let (server, base) = try Self.serve { _ in HTTPServerResponse(status: 200, body: [UInt8](repeating: 65, count: 100_000)) }
        defer { server.stop() }
        let client = try HTTPClient()
        await #expect {
            try await client.send(HTTPRequest(method: "GET", url: base, options: HTTPRequestOptions(maxResponseBytes: 10_000)))
        } throws: { ($0 as? HTTPClientError)?.kind == .responseTooLarge }
        let fits = try await client.send(HTTPRequest(method: "GET", url: base, options: HTTPRequestOptions(maxResponseBytes: 100_000)))
        #expect(fits.body.count == 100_000)
    }

    @Test func boundsConcurrentRequestsPerGroup() async throws {
        let inside = Atomic(0)
        let most = Atomic(0)
        let (server, base) = try Self.serve { _ in
            let now = inside.add(1, ordering: .sequentiallyConsistent).newValue
            most.max(now, ordering: .sequentiallyConsistent)
            usleep(20_000)  // hold the slot so overlapping requests would be seen
            inside.subtract(1, ordering: .sequentiallyConsistent)
            return HTTPServerResponse(status: 204)
        }
        defer { server.stop() }
        let client = try HTTPClient()
        let options = HTTPRequestOptions(concurrencyGroup: "land", maxConcurrent: 2)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.send(HTTPRequest(method: "GET", url: base, options: options)).status }
            }
            for try await status in group { #expect(status == 204) }
        }
        #expect(most.load(ordering: .sequentiallyConsistent) == 2)
    }

    @Test func cancellingTheCallerCancelsTheTransfer() async throws {
        let (server, base, release) = try Self.serveHeld()
        defer {
            release()
            server.stop()
        }
        let client = try HTTPClient()
        let task = Task { try await client.send(HTTPRequest(method: "GET", url: base)) }
        task.cancel()
        await #expect { try await task.value } throws: { ($0 as? HTTPClientError)?.kind == .cancelled }
    }

    @Test func refusesToSpeakTLSToAPlainServerAndOtherSchemes() async throws {
        let (server, base) = try Self.serve { _ in HTTPServerResponse(status: 200) }
        defer { server.stop() }
        let client = try HTTPClient()
        await #expect {
            try await client.send(HTTPRequest(method: "GET", url: base.replacingOccurrences(of: "http:", with: "https:")))
        } throws: { ($0 as? HTTPClientError)?.kind == .tls }
        await #expect {
            try await client.send(HTTPRequest(method: "GET", url: "file:///etc/passwd"))
        } throws: { ($0 as? HTTPClientError)?.kind == .other }
    }

    @Test func shutdownFailsOutstandingRequests() async throws {
        let (server, base, release) = try Self.serveHeld()
        defer {
            release()
            server.stop()
        }
        let client = try HTTPClient()
        let pending = Task { try await client.send(HTTPRequest(method: "GET", url: base)) }
        client.shutdown()
        await #expect { try await pending.value } throws: { ($0 as? HTTPClientError)?.kind == .cancelled }
        await #expect { try await client.send(HTTPRequest(method: "GET", url: base)) } throws: { ($0 as? HTTPClientError)?.kind == .cancelled }
    }
}
