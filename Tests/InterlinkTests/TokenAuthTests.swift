import Foundation
import Interlink
import InterlinkTestSupport
import Synchronization
import Testing

/// The auth schemes that compute something per request: an HMAC signature, an OAuth2 token
/// from its own token endpoint, and the national portal's session login renewed on 401.
/// Each against a real loopback server that checks what it receives.
@Suite("Token and signature auth")
struct TokenAuthTests {
    /// A loopback server answering with `handler`, and a client for it configured with `auth`.
    final class Peer: Sendable {
        let server: HTTPServer
        let port: UInt16

        init(_ handler: @escaping @Sendable (HTTPServerRequest) -> HTTPServerResponse) throws {
            server = HTTPServer(handler: handler)
            port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        }

        var url: String { "http://127.0.0.1:\(port)" }

        deinit { server.stop() }
    }

    static func endpoint(_ auth: JSONValue, base: String, files: [String: String]) throws -> EndpointConfig {
        var config = try AuthSchemeTests.load(auth, files: files).register.endpoint
        config.baseURL = base
        return config
    }

    @Test func anHMACSignatureCoversMethodPathTimeAndBody() async throws {
        let seen = Mutex<HTTPServerRequest?>(nil)
        let peer = try Peer { request in
            seen.withLock { $0 = request }
            return HTTPServerResponse(status: 200)
        }
        let http = try HTTPClient(maxConnections: 2)
        defer { http.shutdown() }
        let config = try Self.endpoint(["type": "hmac", "keyId": "interlink-1", "secretFile": "hmac.key", "signatureHeader": "X-Chu-Ky"],
                                       base: peer.url + "/lgsp", files: ["hmac.key": "k3y\n"])
        let body = Array(#"{"a":1}"#.utf8)
        _ = await EndpointClient(name: "register", config: config, http: http).send("POST", "/births?x=1", body: body)
        let request = try #require(seen.withLock { $0 })
        let time = try #require(request.headers["X-Timestamp"])
        let canonical = ["POST", "/lgsp/births?x=1", time, SHA256.hex(SHA256.hash(body))].joined(separator: "\n")
        #expect(request.headers["X-Key-Id"] == "interlink-1")
        #expect(request.headers["X-Chu-Ky"] == SHA256.hex(SHA256.hmac(key: Array("k3y".utf8), Array(canonical.utf8))))
        // RFC 4231 test case 2: the libcrypto call is HMAC-SHA256 itself.
        #expect(SHA256.hex(SHA256.hmac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func anOAuth2TokenIsFetchedOnceCachedAndRenewedAfterA401() async throws {
        let issued = Atomic<Int>(0)
        let tokenServer = try Peer { request in
            guard request.method == "POST", request.path == "/oauth/token",
                  request.headers["Authorization"] == "Basic " + Data("interlink:cl13nt".utf8).base64EncodedString(),
                  String(decoding: request.body, as: UTF8.self) == "grant_type=client_credentials&scope=dossiers" else {
                return .error(401, code: "invalid-client", message: "no")
            }
            let number = issued.add(1, ordering: .relaxed).newValue
            return .json(200, ["access_token": .string("T\(number)"), "token_type": "Bearer", "expires_in": 3600])
        }
        let revoked = Atomic<Bool>(false)
        let api = try Peer { request in
            // Once the first token is revoked, the client must log in again and resend.
            if request.headers["Authorization"] == "Bearer T1", revoked.load(ordering: .relaxed) {
                return .error(401, code: "expired", message: "token expired")
            }
            return request.headers["Authorization"]?.hasPrefix("Bearer T") == true ? .json(200, ["ok": true]) : .error(401, code: "no", message: "no")
        }
        let http = try HTTPClient(maxConnections: 4)
        defer { http.shutdown() }
        let config = try Self.endpoint(["type": "oauth2-client-credentials", "tokenEndpoint": ["baseURL": .string(tokenServer.url)],
                                        "tokenPath": "/oauth/token", "clientId": "interlink", "clientSecretFile": "client.secret", "scope": "dossiers"],
                                       base: api.url, files: ["client.secret": "cl13nt"])
        let client = EndpointClient(name: "register", config: config, http: http)
        async let first = client.send("GET", "/a")
        async let second = client.send("GET", "/b")
        let statuses = try await [first.get().status, second.get().status]
        #expect(statuses == [200, 200])
        #expect(issued.load(ordering: .relaxed) == 1, "a burst of requests shares one token")
        revoked.store(true, ordering: .relaxed)
        #expect(try await client.send("GET", "/c").get().status == 200)
        #expect(try await client.send("GET", "/d").get().status == 200)
        #expect(issued.load(ordering: .relaxed) == 2, "the revoked token was renewed once, then cached again")
    }

    @Test func aSessionLoginIsRenewedOn401AndItsFailureIsTheOperatorsToFix() async throws {
        let logins = Atomic<Int>(0)
        let valid = Mutex<String>("")
        let portal = try Peer { request in
            if request.path == "/dang-nhap" {
                guard let body = try? JSONParser.parse(request.body), body["tenDangNhap"] == "interlink", body["matKhau"] == "p4ss" else {
                    return .error(401, code: "login-failed", message: "wrong password")
                }
                let session = "S\(logins.add(1, ordering: .relaxed).newValue)"
                valid.withLock { $0 = session }
                return .json(200, ["error_code": "00", "data": ["session": .string(session)]])
            }
            return request.headers["X-Session"] == valid.withLock({ $0 }) ? .json(200, ["error_code": "00"]) : .error(401, code: "session", message: "expired")
        }
        let http = try HTTPClient(maxConnections: 2)
        defer { http.shutdown() }
        let auth: JSONValue = ["type": "session", "loginPath": "/dang-nhap", "username": "interlink", "passwordFile": "portal.password",
                               "usernameField": "tenDangNhap", "passwordField": "matKhau", "tokenPointer": "/data/session", "header": "X-Session"]
        let client = EndpointClient(name: "register", config: try Self.endpoint(auth, base: portal.url, files: ["portal.password": "p4ss"]), http: http)
        #expect(try await client.send("GET", "/x").get().status == 200)
        valid.withLock { $0 = "expired-by-the-portal" }
        #expect(try await client.send("GET", "/x").get().status == 200, "a 401 logs in again and resends once")
        #expect(logins.load(ordering: .relaxed) == 2)

        let wrong = EndpointClient(name: "register", config: try Self.endpoint(auth, base: portal.url, files: ["portal.password": "wrong"]), http: http)
        let refused = await wrong.send("GET", "/x")
        guard case .unauthorized = PeerAnswer.classify(refused) else {
            Issue.record("a refused login is the operator's to fix, not retried for ever: \(refused)")
            return
        }
    }

    @Test func aSessionCanTravelInTheBodyInstead() async throws {
        let bodies = Mutex<[JSONValue]>([])
        let portal = try Peer { request in
            if request.path == "/login" { return .json(200, ["token": "S1"]) }
            let body = (try? JSONParser.parse(request.body)) ?? .null
            bodies.withLock { $0.append(body) }
            return body["session"] == "S1" ? .json(200, ["ok": true]) : .error(401, code: "session", message: "no session")
        }
        let http = try HTTPClient(maxConnections: 2)
        defer { http.shutdown() }
        let auth: JSONValue = ["type": "session", "loginPath": "/login", "username": "u", "passwordFile": "p", "tokenPointer": "/token", "bodyField": "session"]
        let client = EndpointClient(name: "register", config: try Self.endpoint(auth, base: portal.url, files: ["p": "pw"]), http: http)
        #expect(try await client.send("POST", "/x", body: Array(#"{"a":1}"#.utf8)).get().status == 200)
        #expect(bodies.withLock { $0 } == [["a": 1, "session": "S1"]], "the session joins the body; the body as stored stays without it")
    }

    @Test func tokenSchemesReportMistakesAtTheirJSONPath() throws {
        #expect {
            try Self.endpoint(["type": "session", "loginPath": "login", "username": "u", "passwordFile": "p", "tokenPointer": "data"],
                              base: "http://127.0.0.1:9", files: ["p": "x"])
        } throws: { error in
            let paths = Set((error as? ConfigError)?.issues.map(\.path) ?? [])
            return paths.isSuperset(of: ["/register/auth/loginPath", "/register/auth/tokenPointer", "/register/auth"])
        }
        #expect {
            try Self.endpoint(["type": "oauth2-client-credentials", "tokenEndpoint": ["baseURL": "ftp://x"], "tokenPath": "/t",
                               "clientId": "c", "clientSecretFile": "missing"], base: "http://127.0.0.1:9", files: [:])
        } throws: { error in
            let paths = Set((error as? ConfigError)?.issues.map(\.path) ?? [])
            return paths.isSuperset(of: ["/register/auth/tokenEndpoint/baseURL", "/register/auth/clientSecretFile"])
        }
    }
}
