import Interlink
import InterlinkSim
#if canImport(Glibc)
import Glibc
#endif

let help = """
    interlink-sim \(InterlinkVersion.current): the simulated one-stop register and civil-registry, land and
    insurance agencies, on loopback, for the demo, the tests and the benchmark.

    Usage: interlink-sim [options]
           interlink-sim --generate N [--seed S]

    Each service listens on its own port. At start one JSON line on stdout gives the base URLs
    and ports: {"register":"http://127.0.0.1:P/api/v1","civil-registry":…,"ports":{…}}.
    SIGTERM or SIGINT stops it.

    Options:
      --host HOST                 Address to listen on (default 127.0.0.1).
      --register-port P           Port of the register (default 0: the kernel picks one).
      --civil-registry-port P     Port of the civil-registry agency (default 0).
      --land-port P               Port of the land agency (default 0).
      --insurance-port P          Port of the insurance agency (default 0).
      --fixtures DIR              Serve the fixture dossiers in DIR (default Fixtures/dossiers when present).
      --no-fixtures               Serve no fixture dossiers.
      --parcels FILE              The land register's parcels (default Fixtures/land-parcels.json when present).
      --dossiers N                Also serve N generated dossiers (see --generate for the mix).
      --seed S                    Seed for every random choice: generated data and injected faults (default 1).
      --generated-from T          Generated dossiers are updated from T on, one millisecond apart, each received
                                  within the hour before: an RFC 3339 time (default 2025-11-21T01:00:00Z, so
                                  every one is long overdue), or now (the last is updated a minute ago, as fresh
                                  intake is; the benchmarks use it).
                                  The same seed gives the same run.
      --token-dir DIR             Read each service's bearer token from DIR/<service>.token
                                  (default: demo-<service>-token, as in Config/demo-credentials/).
      --dialect D                 contract (default: CONTRACTS.md) or portal: the same world behind the national
                                  portal's conventions (session login at /dvc/dang-nhap, Vietnamese field names and
                                  statuses, numeric dossier statuses, yyyyMMddHHmmss dates, error_code in HTTP 200);
                                  Config/dialect-example.json onboards it.
      --decision-delay-ms MS      Agencies answer 202 with a receipt decided after MS (default 0: 200 at once).
      --fault SERVICE.NAME=VALUE  Inject a fault; repeatable. SERVICE is register, civil-registry, land or
                                  insurance. NAME is one of:
                                    error5xxRate, timeoutRate, resetRate, resetAfterEffectRate,
                                    malformedJsonRate, rateLimitRate   fractions of requests, 0 to 1
                                    timeoutDelayMs      how long a "timeout" response takes (default 10000)
                                    retryAfterSeconds   Retry-After of 429/503 answers, seconds or HTTP-date form
                                    latencyMs           added to every request
                                    decisionDelayMs     per-agency decision delay
                                    lateCommitSkewMs    register: new dossiers dated up to this far back
                                    down                true refuses connections
                                  Faults can also be changed at run time: POST /_sim/faults.
      --generate N                Print N generated dossiers as JSON lines ({dossier, simulate, expect}) and exit.
                                  The mix: 50% birth group, 25% death group, 25% land transfer; about 2% with
                                  a future date of birth, 2% a death before the birth, 2% an unknown parcel,
                                  2% a stale marital-status confirmation, 3% an insurance-card discrepancy,
                                  1% missing a required form field.
      --help                      Show this help.
      --version                   Show the version.

    Introspection (every port, no auth): GET /_sim/effects, GET /_sim/stats, GET /_sim/faults,
    POST /_sim/faults, POST /_sim/dossiers, GET /_sim/interconnections.

    Examples:
      interlink-sim --dossiers 300 --seed 7
      interlink-sim --register-port 8080 --fault insurance.error5xxRate=0.2 --fault land.latencyMs=50
      interlink-sim --dialect portal --decision-delay-ms 500
      interlink-sim --generate 5 --seed 3
    """

func fail(_ message: String, status: Int32 = 64) -> Never {
    FileDescriptorWriter.writeAll(2, Array("interlink-sim: \(message)\n".utf8))
    exit(status)
}

func run() throws {
    let options = try CommandLineOptions(
        Array(CommandLine.arguments.dropFirst()), flags: ["help", "version", "no-fixtures"],
        options: ["host", "register-port", "civil-registry-port", "land-port", "insurance-port", "fixtures", "parcels",
                  "dossiers", "seed", "token-dir", "decision-delay-ms", "fault", "generate", "dialect", "generated-from"])
    if options.has("help") { print(help); exit(0) }
    if options.has("version") { print("interlink-sim \(InterlinkVersion.current)"); exit(0) }
    guard options.positional.isEmpty else { throw UsageError("unexpected argument \(options.positional[0])") }
    func number(_ name: String) throws(UsageError) -> Int? {
        guard let text = options.value(name) else { return nil }
        guard let value = Int(text), value >= 0 else { throw UsageError("--\(name) needs a whole number ≥ 0, not \(text)") }
        return value
    }
    let seed = UInt64(try number("seed") ?? 1)
    func generated(_ count: Int) throws(UsageError) -> (dossiers: [FixtureDossier], parcels: [JSONValue]) {
        let generator = DossierGenerator(seed: seed)
        guard let from = options.value("generated-from") else { return generator.generate(count: count) }
        if from == "now" { return generator.generate(count: count, start: .now().adding(milliseconds: -Int64(count) - 60_000)) }
        guard let start = Timestamp(rfc3339: from) else { throw UsageError("--generated-from takes an RFC 3339 time or now, not \(from)") }
        return generator.generate(count: count, start: start)
    }
    if let count = try number("generate") {
        for fixture in try generated(count).dossiers {
            print(JSONWriter.string(["dossier": fixture.dossier, "simulate": fixture.simulate, "expect": fixture.expect]))
        }
        exit(0)
    }
    var configuration = SimulatorConfiguration()
    configuration.host = options.value("host") ?? "127.0.0.1"
    configuration.seed = seed
    if let dialect = options.value("dialect") {
        guard let parsed = SimulatorDialect(rawValue: dialect) else { throw UsageError("--dialect must be contract or portal, not \(dialect)") }
        configuration.dialect = parsed
    }
    for service in SimulatedWorld.services {
        if let port = try number("\(service)-port") {
            guard port <= 65_535 else { throw UsageError("--\(service)-port must be at most 65535") }
            configuration.ports[service] = UInt16(port)
        }
    }
    if let directory = options.value("token-dir") {
        for service in SimulatedWorld.services {
            guard let bytes = FileBytes.read(directory + "/\(service).token") else { fail("cannot read \(directory)/\(service).token", status: 66) }
            configuration.tokens[service] = String(decoding: bytes, as: UTF8.self).trimmedWhitespace
        }
    }
    if !options.has("no-fixtures") {
        let directory = options.value("fixtures") ?? "Fixtures/dossiers"
        if options.value("fixtures") != nil || FileBytes.exists(directory) {
            configuration.dossiers = try FixtureDossier.load(directory: directory)
        }
    }
    let parcelsPath = options.value("parcels") ?? "Fixtures/land-parcels.json"
    if let bytes = FileBytes.read(parcelsPath) {
        configuration.parcels = (try JSONParser.parse(bytes)).arrayValue ?? []
    } else if options.value("parcels") != nil {
        fail("cannot read \(parcelsPath)", status: 66)
    }
    if let count = try number("dossiers"), count > 0 {
        let made = try generated(count)
        configuration.dossiers += made.dossiers
        configuration.parcels += made.parcels
    }
    let delay = try number("decision-delay-ms")
    for service in SimulatedWorld.services where service != "register" {
        if let delay { configuration.faults[service, default: FaultSpec()].decisionDelayMs = delay }
    }
    for fault in options.values["fault"] ?? [] {
        guard let dot = fault.firstIndex(of: "."), let equals = fault.firstIndex(of: "="), dot < equals else {
            throw UsageError("--fault takes SERVICE.NAME=VALUE, e.g. insurance.error5xxRate=0.1")
        }
        let service = String(fault[..<dot])
        guard SimulatedWorld.services.contains(service) else { throw UsageError("unknown service \(service) in --fault") }
        let name = String(fault[fault.index(after: dot)..<equals])
        let text = String(fault[fault.index(after: equals)...])
        let value: JSONValue = text == "true" ? true : text == "false" ? false : Double(text).map(JSONValue.number) ?? .string(text)
        try configuration.faults[service, default: FaultSpec()].merge([name: value])
    }

    // Block the stop signals in every thread; the main thread waits for them with sigwait.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    pthread_sigmask(SIG_BLOCK, &signals, nil)

    let simulator = Simulator(configuration: configuration)
    let ports = try simulator.start()
    var announcement: [String: JSONValue] = ["ports": .object(ports.mapValues { .number(Double($0)) })]
    for service in SimulatedWorld.services { announcement[service] = .string(simulator.baseURL(service)) }
    // Written unbuffered, so a parent reading the pipe sees it at once.
    FileDescriptorWriter.writeAll(1, JSONWriter.bytes(.object(announcement)) + [0x0A])
    var received: Int32 = 0
    sigwait(&signals, &received)
    simulator.stop()
}

do {
    try run()
} catch let error as UsageError {
    fail("\(error)\nTry 'interlink-sim --help'.")
} catch let error as SimulatorError {
    fail("\(error)", status: 65)
} catch {
    fail("\(error)", status: 1)
}
