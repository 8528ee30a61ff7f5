/// Every route the simulator serves, by the OpenAPI document that publishes it.
/// A test checks each against `Fixtures/openapi/` and against the live simulator.
public enum SimulatorRoutes: Sendable {
    public struct Route: Sendable, Hashable {
        public let document: String
        public let method: String
        /// With `{name}` placeholders as in OpenAPI.
        public let path: String
    }

    public static let all: [Route] = [
        Route(document: "register", method: "GET", path: "/api/v1/dossiers"),
        Route(document: "register", method: "GET", path: "/api/v1/dossiers/{code}"),
        Route(document: "register", method: "GET", path: "/api/v1/dossiers/{code}/interconnection"),
        Route(document: "register", method: "PUT", path: "/api/v1/dossiers/{code}/interconnection"),
        Route(document: "civil-registry", method: "POST", path: "/births"),
        Route(document: "civil-registry", method: "POST", path: "/deaths"),
        Route(document: "civil-registry", method: "POST", path: "/marital-status-confirmations"),
        Route(document: "insurance", method: "POST", path: "/health-insurance-cards"),
        Route(document: "insurance", method: "POST", path: "/funeral-allowances"),
        Route(document: "land", method: "POST", path: "/registrations"),
    ] + ["civil-registry", "land", "insurance"].flatMap { agency in
        [Route(document: agency, method: "GET", path: "/receipts/{receipt}"),
         Route(document: agency, method: "POST", path: "/receipts/{receipt}/cancel")]
    } + [
        Route(document: "simulator-control", method: "GET", path: "/_sim/effects"),
        Route(document: "simulator-control", method: "GET", path: "/_sim/stats"),
        Route(document: "simulator-control", method: "GET", path: "/_sim/faults"),
        Route(document: "simulator-control", method: "POST", path: "/_sim/faults"),
        Route(document: "simulator-control", method: "POST", path: "/_sim/dossiers"),
        Route(document: "simulator-control", method: "GET", path: "/_sim/interconnections"),
        Route(document: "simulator-control", method: "POST", path: "/_sim/decide"),
        Route(document: "simulator-control", method: "POST", path: "/_sim/bad-answers"),
    ]

    /// The methods `service` serves at `path`; empty when the path is none of its routes.
    /// A known path asked with another method is a 405 with `Allow`, as HTTP says.
    public static func methods(at path: String, service: String) -> [String] {
        let segments = path.utf8.split(separator: UInt8(ascii: "/"))
        return patterns.filter { route in
            guard route.document == service || route.document == "simulator-control" else { return false }
            return route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { pattern, segment in pattern.isEmpty || pattern.elementsEqual(segment) }
        }.map(\.method)
    }

    /// Every route's path split once into byte segments (a placeholder as an empty one), since
    /// every request to the simulator is matched against all of them.
    private static let patterns: [(document: String, method: String, segments: [[UInt8]])] = all.map { route in
        (route.document, route.method, route.path.split(separator: "/").map { $0.hasPrefix("{") ? [] : Array($0.utf8) })
    }
}
