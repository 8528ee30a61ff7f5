import Foundation
public import Interlink
import InterlinkSim

/// Writes a daemon config aimed at a running simulator, and runs `interlinkd` on it.
public struct DaemonHarness: Sendable {
    public let directory: String
    public let configPath: String
    public let journalPath: String
    /// The journal the daemons use: the SQLite file at `journalPath`, or a PostgreSQL one.
    public let journalConfig: JournalConfig

    /// Builds the config from `Config/demo.json` (or, for a simulator speaking the portal
    /// dialect, `Config/dialect-example.json`) with the simulator's URLs, a journal in
    /// `directory` (or `postgres`, shared by every daemon started from this harness), the
    /// demo tokens, and `edit` applied last (for test-specific budgets).
    public init(simulator: SimulatorProcess, directory: TemporaryDirectory, postgres: TestPostgresJournal? = nil,
                edit: @Sendable (inout [String: JSONValue]) -> Void = { _ in }) throws {
        self.directory = directory.path
        let file = simulator.dialect == "portal" ? "dialect-example.json" : "demo.json"
        let demo = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Config/" + file)))
        guard case .object(var config) = demo else { throw SimulatorError("Config/\(file) is not an object") }
        let credentials = Executables.packageRoot + "/Config/demo-credentials/"
        func endpoint(_ value: JSONValue?, url: String, token: String) -> JSONValue {
            guard case .object(var members) = value ?? [:] else { return value ?? .null }
            members["baseURL"] = .string(url)
            if case .object(var auth) = members["auth"] ?? [:], auth["type"] == "session" {
                auth["passwordFile"] = .string(credentials + token)
                members["auth"] = .object(auth)
            } else {
                members["auth"] = ["type": "bearer", "tokenFile": .string(credentials + token)]
            }
            return .object(members)
        }
        config["register"] = endpoint(config["register"], url: simulator.urls["register"]!, token: "register.token")
        if case .object(var agencies) = config["agencies"] ?? [:] {
            for name in ["civil-registry", "land", "insurance"] {
                agencies[name] = endpoint(agencies[name], url: simulator.urls[name]!, token: "\(name).token")
            }
            config["agencies"] = .object(agencies)
        }
        if config["progressReports"] != nil {
            config["progressReports"] = endpoint(config["progressReports"], url: simulator.urls["register"]!, token: "register.token")
        }
        journalPath = directory.file("journal.sqlite")
        config["journal"] = postgres?.section ?? ["path": .string(journalPath)]
        journalConfig = postgres?.config ?? .sqlite(path: journalPath)
        config["metrics"] = nil
        edit(&config)
        configPath = try directory.write("interlink.json", JSONWriter.string(.object(config)))
    }

    /// Starts `interlinkd` with `arguments` after `--config`.
    public func start(_ arguments: [String] = [], environment: [String: String]? = nil, name: String = "interlinkd") throws -> ChildProcess {
        try ChildProcess(Executables.path("interlinkd"), ["--config", configPath] + arguments, environment: environment,
                         outputDirectory: directory, name: name)
    }

    /// Runs `interlinkd --until-idle` to the end and returns it.
    public func runUntilIdle(timeout: Duration = .seconds(120), name: String = "interlinkd") async throws -> ChildProcess {
        let process = try start(["--until-idle", "--idle-horizon", "5"], name: name)
        if await process.waitForExit(timeout: timeout) == nil { await process.terminate() }
        return process
    }

    /// The `/metrics` URL of a daemon started with `metrics.listen` (port 0 is fine): read from
    /// its "metrics listening" line once it has written it.
    public static func metricsURL(of process: ChildProcess) async throws -> String {
        guard await process.waitForLog("metrics listening"),
              let line = process.stderr.split(separator: "\n").first(where: { $0.contains("metrics listening") }),
              let url = try JSONParser.parse(String(line.dropFirst(3)))["url"]?.stringValue else {
            throw HarnessError("the daemon did not say where its metrics listen: \(process.stderr.suffix(500))")
        }
        return url
    }

    /// Opens the daemons' journal (WAL allows reading while they run).
    public func journal() throws -> any Journal {
        try JournalFactory.open(journalConfig)
    }
}

/// Helpers to edit a config held as JSON members.
extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `value` at the member path `path` (e.g. `["agencies", "land", "retry", "maxAttempts"]`).
    public mutating func set(_ path: [String], _ value: JSONValue) {
        guard let first = path.first else { return }
        if path.count == 1 {
            self[first] = value
            return
        }
        var inner = self[first]?.objectValue ?? [:]
        inner.set(Array(path.dropFirst()), value)
        self[first] = .object(inner)
    }

    /// Applies `value` at `suffix` under every agency.
    public mutating func setForAllAgencies(_ suffix: [String], _ value: JSONValue) {
        for name in ["civil-registry", "land", "insurance"] { set(["agencies", name] + suffix, value) }
    }
}
