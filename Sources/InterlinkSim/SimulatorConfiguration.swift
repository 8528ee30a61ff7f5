public import Interlink
#if canImport(Glibc)
import Glibc
#endif

/// One dossier the simulated register starts with, as the files under `Fixtures/dossiers/` hold it.
public struct FixtureDossier: Sendable, Hashable {
    public var dossier: JSONValue
    /// Hints only the simulator reads (`discrepancy`, `confirmationAgeDays`).
    public var simulate: JSONValue
    /// The outcome the daemon should reach, for end-to-end tests.
    public var expect: JSONValue

    public init(dossier: JSONValue, simulate: JSONValue = [:], expect: JSONValue = [:]) {
        self.dossier = dossier
        self.simulate = simulate
        self.expect = expect
    }

    public var code: String { dossier["code"]?.stringValue ?? "" }

    /// Reads every `*.json` fixture in `directory`, in name order.
    public static func load(directory: String) throws(SimulatorError) -> [FixtureDossier] {
        try DirectoryListing.files(in: directory, suffix: ".json").mapError { SimulatorError($0.description) }.get().map { (path) throws(SimulatorError) -> FixtureDossier in
            guard let bytes = FileBytes.read(path) else { throw SimulatorError("cannot read fixture \(path)") }
            do {
                let json = try JSONParser.parse(bytes)
                guard let dossier = json["dossier"] else { throw SimulatorError("fixture \(path) has no \"dossier\" member") }
                return FixtureDossier(dossier: dossier, simulate: json["simulate"] ?? [:], expect: json["expect"] ?? [:])
            } catch let error as JSONParseError {
                throw SimulatorError("fixture \(path): \(error)")
            } catch let error as SimulatorError {
                throw error
            } catch {
                throw SimulatorError("fixture \(path): \(error)")
            }
        }
    }
}

/// The conventions the simulated services speak.
public enum SimulatorDialect: String, Sendable, CaseIterable {
    /// CONTRACTS.md.
    case contract
    /// The national portal's (``PortalDialect``).
    case portal
}

/// How `interlink-sim` (or a test embedding it) sets up the simulated world.
public struct SimulatorConfiguration: Sendable {
    /// Which conventions every service speaks; the world behind them is the same.
    public var dialect = SimulatorDialect.contract
    public var host = "127.0.0.1"
    /// Per service; 0 (the default) lets the kernel choose.
    public var ports: [String: UInt16] = [:]
    public var seed: UInt64 = 1
    /// Bearer tokens per service. The defaults match `Config/demo-credentials/`.
    public var tokens: [String: String] = Dictionary(uniqueKeysWithValues: SimulatedWorld.services.map { ($0, "demo-\($0)-token") })
    public var faults: [String: FaultSpec] = [:]
    public var dossiers: [FixtureDossier] = []
    /// The land register's parcels, `{mapSheetNo, parcelNo, …}`.
    public var parcels: [JSONValue] = []

    public init() {}
}
