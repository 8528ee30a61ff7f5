import Foundation
import Interlink
import InterlinkTestSupport
import Synchronization
import Testing

/// Auth schemes of real platforms: HTTP Basic, and the AccessKey/SecretKey header pair of
/// provincial integration platforms. Secrets come only from files; a mistake names its JSON path.
@Suite("Auth schemes")
struct AuthSchemeTests {
    static func load(_ auth: JSONValue, files: [String: String]) throws -> InterlinkConfig {
        try DemoConfig.load(files: files) { DemoConfig.set(auth, at: ["register", "auth"], in: &$0) }
    }

    @Test func basicAndKeyPairHeadersReachTheServer() async throws {
        let seen = Mutex<[String: String]>([:])
        let server = HTTPServer { request in
            seen.withLock { seen in
                for name in ["Authorization", "AccessKey", "SecretKey"] { seen[name] = request.headers[name] }
            }
            return HTTPServerResponse(status: 200)
        }
        let port = try server.start(on: ListenAddress(host: "127.0.0.1", port: 0))
        defer { server.stop() }
        let http = try HTTPClient(maxConnections: 2)
        defer { http.shutdown() }

        let basic = try Self.load(["type": "basic", "username": "interlink", "passwordFile": "register.password"], files: ["register.password": "s3cret\n"])
        var endpoint = basic.register.endpoint
        endpoint.baseURL = "http://127.0.0.1:\(port)"
        _ = await EndpointClient(name: "register", config: endpoint, http: http).send("GET", "/x")
        #expect(seen.withLock { $0["Authorization"] } == "Basic " + Data("interlink:s3cret".utf8).base64EncodedString())

        let pair = try Self.load(["type": "key-pair", "accessKeyHeader": "AccessKey", "accessKeyFile": "access.key",
                                  "secretKeyHeader": "SecretKey", "secretKeyFile": "secret.key"],
                                 files: ["access.key": "AK-1\n", "secret.key": "SK-1\n"])
        endpoint = pair.register.endpoint
        endpoint.baseURL = "http://127.0.0.1:\(port)"
        _ = await EndpointClient(name: "register", config: endpoint, http: http).send("GET", "/x")
        #expect(seen.withLock { [$0["AccessKey"], $0["SecretKey"]] } == ["AK-1", "SK-1"])
        #expect(!"\(pair.register.endpoint.auth)".contains("SK-1"), "secrets never print")
    }

    @Test func mistakesNameTheirJSONPath() throws {
        #expect {
            try Self.load(["type": "basic", "username": "a:b", "passwordFile": "missing.password"], files: [:])
        } throws: { error in
            let paths = (error as? ConfigError)?.issues.map(\.path) ?? []
            return paths.contains("/register/auth/username") && paths.contains("/register/auth/passwordFile")
        }
        #expect {
            try Self.load(["type": "key-pair", "accessKeyHeader": "Access Key", "accessKeyFile": "a", "secretKeyFile": "s"], files: ["a": "1", "s": "2"])
        } throws: { error in
            let paths = (error as? ConfigError)?.issues.map(\.path) ?? []
            return paths.contains("/register/auth/accessKeyHeader") && paths.contains("/register/auth/secretKeyHeader")
        }
    }
}
