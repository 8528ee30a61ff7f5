import Foundation
import Interlink
import InterlinkTestSupport
import Testing

@Suite("Configuration loading and validation")
struct ConfigTests {
    static let demoPath = Executables.packageRoot + "/Config/demo.json"
    static let examplePath = Executables.packageRoot + "/Config/interlink.example.json"

    @Test func demoConfigIsValid() throws {
        let config = try InterlinkConfig.load(path: Self.demoPath, environment: [:])
        #expect(config.agencies.keys.sorted() == ["civil-registry", "insurance", "land"])
        #expect(config.route(forProcedure: "1.011537")?.steps.map(\.name) == ["death", "funeral-allowance"])
        #expect(config.register.lookBackSeconds == 120)
        guard case .bearer(let token) = config.agencies["land"]?.endpoint.auth else {
            Issue.record("land should use a bearer token")
            return
        }
        #expect(token.value == "demo-land-token")
        #expect(!"\(token)".contains("demo-land-token"))
    }

    @Test func exampleConfigIsValidWithCredentialsFromSystemd() throws {
        let credentials = try TemporaryDirectory()
        for name in ["register", "civil-registry", "land", "insurance"] {
            try credentials.write("\(name).token", "token-\(name)\n")
        }
        try credentials.write("province-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let config = try InterlinkConfig.load(path: Self.examplePath, environment: [
            "CREDENTIALS_DIRECTORY": credentials.path, "STATE_DIRECTORY": "/var/lib/interlink",
        ])
        #expect(config.journal == .sqlite(path: "/var/lib/interlink/journal.sqlite"))
        #expect(config.agencies["land"]?.endpoint.tls.caFile == credentials.file("province-ca.pem"))
    }

    /// As installed: tokens come through `LoadCredential=`, the CA (public) sits beside the config
    /// in /etc/interlink, where the service reads it without a credential line of its own.
    @Test func exampleConfigFindsItsCABesideTheConfigAndTokensInCredentials() throws {
        let etc = try TemporaryDirectory()
        let credentials = try TemporaryDirectory()
        for name in ["register", "civil-registry", "land", "insurance"] { try credentials.write("\(name).token", "token-\(name)\n") }
        let config = try etc.write("interlink.json", try String(contentsOfFile: Self.examplePath, encoding: .utf8))
        let environment = ["CREDENTIALS_DIRECTORY": credentials.path, "STATE_DIRECTORY": "/var/lib/interlink"]
        do {
            _ = try InterlinkConfig.load(path: config, environment: environment)
            Issue.record("a missing CA must be refused")
        } catch {
            #expect("\(error)".contains("/register/tls/caFile") && "\(error)".contains(etc.file("province-ca.pem")), "\(error)")
        }
        try etc.write("province-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let loaded = try InterlinkConfig.load(path: config, environment: environment)
        #expect(loaded.register.endpoint.tls.caFile == etc.file("province-ca.pem"))
        #expect(loaded.agencies["land"]?.endpoint.tls.caFile == etc.file("province-ca.pem"))
    }

    /// Loads the demo config with `edit` applied, returning the problems' paths.
    func problems(_ edit: (inout [String: Any]) -> Void) throws -> [String] {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.demoPath))) as! [String: Any]
        edit(&json)
        let directory = try TemporaryDirectory()
        let credentials = Executables.packageRoot + "/Config/demo-credentials"
        try FileManager.default.createSymbolicLink(atPath: directory.file("demo-credentials"), withDestinationPath: credentials)
        let path = directory.file("interlink.json")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        do {
            _ = try InterlinkConfig.load(path: path, environment: [:])
            return []
        } catch {
            return error.issues.map(\.path)
        }
    }

    @Test func listsEveryMistakeWithItsJSONPath() throws {
        let paths = try problems { json in
            var agencies = json["agencies"] as! [String: Any]
            var land = agencies["land"] as! [String: Any]
            land["baseURL"] = "ftp://land"
            agencies["land"] = land
            json["agencies"] = agencies
            var routes = json["routes"] as! [[String: Any]]
            var steps = routes[0]["steps"] as! [[String: Any]]
            steps[0]["needs"] = ["health-card"]
            steps[1]["agency"] = "police"
            routes[0]["steps"] = steps
            json["routes"] = routes
            var register = json["register"] as! [String: Any]
            register["pageSize"] = "many"
            json["register"] = register
        }
        #expect(paths.contains("/agencies/land/baseURL"))
        #expect(paths.contains("/routes/0/steps/1/agency"))
        #expect(paths.contains("/register/pageSize"))
        #expect(paths.contains { $0.hasPrefix("/routes/0/steps/") && $0.hasSuffix("/needs") }, "cycle: \(paths)")
    }

    @Test func reportsUnknownFieldsMissingSecretsAndBadPointers() throws {
        let paths = try problems { json in
            var register = json["register"] as! [String: Any]
            register["baseUrl"] = "http://typo"
            register["auth"] = ["type": "bearer", "tokenFile": "missing.token"]
            json["register"] = register
            var routes = json["routes"] as! [[String: Any]]
            var steps = routes[1]["steps"] as! [[String: Any]]
            steps[0]["payload"] = ["dossierCode": "/code~7"]
            steps[1]["needs"] = ["nowhere"]
            routes[1]["steps"] = steps
            json["routes"] = routes
        }
        #expect(paths.contains("/register/baseUrl"))
        #expect(paths.contains("/register/auth/tokenFile"))
        #expect(paths.contains("/routes/1/steps/0/payload/dossierCode"))
        #expect(paths.contains("/routes/1/steps/1/needs/0"))
    }

    @Test func refusesStepResultsFromStepsNotNeeded() throws {
        let paths = try problems { json in
            var routes = json["routes"] as! [[String: Any]]
            var steps = routes[0]["steps"] as! [[String: Any]]
            steps[1]["needs"] = [String]()
            routes[0]["steps"] = steps
            json["routes"] = routes
        }
        #expect(paths == ["/routes/0/steps/1/payload"])
    }

    @Test func refusesURLsWithCredentialsAndDuplicateProcedureCodes() throws {
        let paths = try problems { json in
            var agencies = json["agencies"] as! [String: Any]
            var land = agencies["land"] as! [String: Any]
            land["baseURL"] = "https://user:pass@land.example"
            agencies["land"] = land
            json["agencies"] = agencies
            var routes = json["routes"] as! [[String: Any]]
            routes[2]["procedureCodes"] = ["1.004227", "1.001193"]
            json["routes"] = routes
        }
        #expect(paths.sorted() == ["/agencies/land/baseURL", "/routes/2/procedureCodes/1"])
    }

    @Test func refusesUnreadableAndMalformedFiles() throws {
        let directory = try TemporaryDirectory()
        #expect { try InterlinkConfig.load(path: directory.file("absent.json"), environment: [:]) } throws: { error in
            (error as? ConfigError)?.issues.first?.message.contains("cannot read") == true
        }
        let broken = try directory.write("broken.json", #"{"register": {"#)
        #expect { try InterlinkConfig.load(path: broken, environment: [:]) } throws: { error in
            (error as? ConfigError)?.issues.first?.message.contains("invalid JSON") == true
        }
    }

    @Test func discoversTheFileLikeSystemd() {
        #expect(ConfigDiscovery.path(explicit: "/x.json", environment: ["CONFIGURATION_DIRECTORY": "/etc/a"]) == "/x.json")
        #expect(ConfigDiscovery.path(explicit: nil, environment: ["CONFIGURATION_DIRECTORY": "/etc/a:/etc/b"]) == "/etc/a/interlink.json")
        #expect(ConfigDiscovery.path(explicit: nil, environment: [:]) == "/etc/interlink/interlink.json")
    }

    @Test func checkConfigCommandExitsZeroForTheDemo() throws {
        let output = try runProcess(Executables.path("interlinkd"), ["--check-config", "--config", Self.demoPath])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("3 agencies, 3 routes"))
    }

    /// A calendar that ends soon is a warning, not a refusal; a malformed one is refused at its path.
    @Test func checkConfigWarnsAboutAnEndingCalendarAndRefusesABadOne() throws {
        let directory = try TemporaryDirectory()
        let old = try directory.write("old-calendar.json", """
            {"covers": {"from": "2020-01-01", "to": "2020-12-31"}, "sources": {"law": "Labour Code 2019"},
             "holidays": [{"date": "2020-09-02", "name": "Quốc khánh", "source": "law"}]}
            """)
        let bad = try directory.write("bad-calendar.json", #"{"covers": {"from": "2020-01-01", "to": "2020-12-31"}, "holidays": [{"date": "2020-09-02"}]}"#)
        let demo = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Self.demoPath)))
        try FileManager.default.createSymbolicLink(atPath: directory.file("demo-credentials"),
                                                   withDestinationPath: Executables.packageRoot + "/Config/demo-credentials")
        func check(_ file: String) throws -> ProcessOutput {
            guard case .object(var root) = demo else { throw HarnessError("demo.json") }
            root["calendar"] = ["file": .string(file), "holidays": ["2020-11-24": "Ngày Văn hóa Việt Nam"]]
            let config = try directory.write("interlink.json", JSONWriter.string(.object(root)))
            return try runProcess(Executables.path("interlinkd"), ["--check-config", "--config", config])
        }
        let warned = try check(old)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stdout.contains("warning: /calendar: the holiday data ends before 2021-01-01"), "\(warned.stdout)")
        let refused = try check(bad)
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("/calendar/file") && refused.stderr.contains("/holidays/0/name"), "\(refused.stderr)")
    }

    @Test func checkConfigCommandExits78NamingAllThreeMistakes() throws {
        var json = try String(contentsOfFile: Self.demoPath, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"http://127.0.0.1:28082\"", with: "\"not a url\"")
        json = json.replacingOccurrences(of: "\"pageSize\": 200", with: "\"pageSize\": 9000")
        json = json.replacingOccurrences(of: "\"operation\": \"/deaths\",\n          \"needs\": []",
                                         with: "\"operation\": \"/deaths\",\n          \"needs\": [\"funeral-allowance\"]")
        let directory = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.file("demo-credentials"),
                                                   withDestinationPath: Executables.packageRoot + "/Config/demo-credentials")
        let path = try directory.write("interlink.json", json)
        let output = try runProcess(Executables.path("interlinkd"), ["--check-config", "--config", path])
        #expect(output.status == 78)
        #expect(output.stderr.contains("/agencies/land/baseURL: not an absolute http(s) URL"))
        #expect(output.stderr.contains("/register/pageSize: must be between 1 and 500"))
        #expect(output.stderr.contains("needs: dependency cycle: "), "\(output.stderr)")
        #expect(output.stderr.contains("3 problems"))
    }
}
