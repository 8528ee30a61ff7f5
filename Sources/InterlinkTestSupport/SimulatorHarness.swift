import Foundation
public import Interlink
public import InterlinkSim

/// An embedded simulator with the repository's fixtures, on kernel-chosen loopback ports,
/// and a client that speaks to it with the right tokens.
public final class SimulatorHarness: Sendable {
    public let simulator: Simulator
    public let client: HTTPClient

    public init(faults: [String: FaultSpec] = [:], seed: UInt64 = 1, generated: Int = 0, fixtures: Bool = true) throws {
        var configuration = SimulatorConfiguration()
        configuration.seed = seed
        configuration.faults = faults
        if fixtures {
            configuration.dossiers = try FixtureDossier.load(directory: Executables.packageRoot + "/Fixtures/dossiers")
            let parcels = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Fixtures/land-parcels.json")))
            configuration.parcels = parcels.arrayValue ?? []
        }
        if generated > 0 {
            let made = DossierGenerator(seed: seed).generate(count: generated)
            configuration.dossiers += made.dossiers
            configuration.parcels += made.parcels
        }
        simulator = Simulator(configuration: configuration)
        _ = try simulator.start()
        client = try HTTPClient()
    }

    deinit {
        client.shutdown()
        simulator.stop()
    }

    public func url(_ service: String, _ path: String) -> String { simulator.baseURL(service) + path }

    /// Sends a request as the daemon would, with the service's bearer token.
    public func send(_ service: String, _ method: String, _ path: String, body: JSONValue? = nil, key: String? = nil,
              token: String? = nil, timeoutMs: Int = 5_000) async throws -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(token ?? "demo-\(service)-token")")
        if let key { headers.add("Idempotency-Key", key) }
        if body != nil { headers.add("Content-Type", "application/json") }
        return try await client.send(HTTPRequest(method: method, url: url(service, path), headers: headers,
                                                 body: body.map(JSONWriter.bytes), options: HTTPRequestOptions(timeoutMs: timeoutMs)))
    }

    /// `/_sim/*` control calls, which need no token.
    public func control(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        let response = try await client.send(HTTPRequest(method: method, url: url("land", path), body: body.map(JSONWriter.bytes)))
        return try response.json()
    }

    public func setFaults(_ services: [String: JSONValue], reset: Bool = true) async throws {
        _ = try await control("POST", "/_sim/faults", body: ["reset": .bool(reset), "services": .object(services)])
    }

    public func effects(agency: String? = nil) async throws -> [JSONValue] {
        try await control("GET", "/_sim/effects" + (agency.map { "?agency=\($0)" } ?? ""))["effects"]?.arrayValue ?? []
    }
}

extension HTTPResponse {
    /// The body as JSON, or `null` when it is not JSON.
    public var jsonBody: JSONValue { (try? json()) ?? .null }
}

/// Sample agency request bodies that satisfy the contracts.
public enum SampleRequests: Sendable {
    public static func birth(_ code: String, dateOfBirth: String = "2025-11-09") -> JSONValue {
        ["dossierCode": .string(code),
         "child": ["fullName": "Trần Minh Khang", "dateOfBirth": .string(dateOfBirth), "sex": "male", "placeOfBirth": "Bệnh viện Sản - Nhi Cà Mau",
                   "ethnicity": "Kinh", "nationality": "Việt Nam", "hometown": "xã Đầm Dơi, tỉnh Cà Mau"],
         "mother": ["fullName": "Nguyễn Thị Mai", "personalId": "096196004583", "dateOfBirth": "1996-04-18"],
         "residenceAddress": "Số 27, đường Lý Thường Kiệt, phường Hòa Thành, tỉnh Cà Mau"]
    }

    public static func healthCard(_ code: String, personalID: String, certificate: String) -> JSONValue {
        ["dossierCode": .string(code), "holder": ["personalId": .string(personalID), "fullName": "Trần Minh Khang", "dateOfBirth": "2025-11-09"],
         "birthCertificateNo": .string(certificate), "residenceAddress": "Số 27, đường Lý Thường Kiệt"]
    }

    public static func death(_ code: String, born: String = "1952-03-01", died: String = "2025-11-14") -> JSONValue {
        ["dossierCode": .string(code),
         "deceased": ["fullName": "Lê Văn Tám", "personalId": "092052001234", "dateOfBirth": .string(born), "dateOfDeath": .string(died),
                      "placeOfDeath": "Cần Thơ"],
         "declarant": ["fullName": "Lê Thị Hoa", "personalId": "092180004321", "relation": "con"]]
    }

    public static func funeral(_ code: String, certificate: String) -> JSONValue {
        ["dossierCode": .string(code), "deceased": ["personalId": "092052001234", "fullName": "Lê Văn Tám", "socialInsuranceNo": "9212345678"],
         "deathCertificateNo": .string(certificate),
         "claimant": ["fullName": "Lê Thị Hoa", "personalId": "092180004321", "relation": "con", "bankAccount": "0123456789012"]]
    }

    public static func confirmation(_ code: String) -> JSONValue {
        ["dossierCode": .string(code), "person": ["fullName": "Phạm Văn Lợi", "personalId": "096070001111"], "purpose": "land-transfer"]
    }

    public static func registration(_ code: String, confirmation: String, sheet: String, parcel: String) -> JSONValue {
        ["dossierCode": .string(code), "kind": "transfer",
         "transferor": ["fullName": "Phạm Văn Lợi", "personalId": "096070001111"],
         "transferee": ["fullName": "Võ Thị Hằng", "personalId": "096185002222"],
         "parcel": ["mapSheetNo": .string(sheet), "parcelNo": .string(parcel), "areaM2": 152.5, "address": "phường Tân Thành, tỉnh Cà Mau",
                    "certificateNo": "CS 123456"],
         "maritalStatusConfirmationNo": .string(confirmation)]
    }
}
