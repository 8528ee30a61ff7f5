import Foundation
import Interlink
import Synchronization

/// The `/_sim/*` endpoints every simulated service serves: introspection for tests and
/// benchmarks, and fault control at run time. Never used by the daemon; no auth.
enum SimulatorControl {
    static func handle(_ request: HTTPServerRequest, world: SimulatedWorld,
                       suspend: @Sendable (String, Bool) -> Void) -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/_sim/effects"):
            let effects = world.state.withLock { $0.effects }.filter { effect in
                (request.query["agency"].map { $0 == effect.service } ?? true)
                    && (request.query["dossierCode"].map { $0 == effect.dossierCode } ?? true)
            }
            return .json(200, ["effects": .array(effects.map(\.json))])
        case ("GET", "/_sim/stats"):
            return .json(200, stats(world))
        case ("GET", "/_sim/faults"):
            return .json(200, faultsJSON(world))
        case ("POST", "/_sim/faults"):
            return setFaults(request, world: world, suspend: suspend)
        case ("POST", "/_sim/dossiers"):
            return addDossiers(request, world: world)
        case ("POST", "/_sim/bad-answers"):
            return addBadAnswers(request, world: world)
        case ("POST", "/_sim/decide"):
            return decideNow(request, world: world)
        case ("GET", "/_sim/interconnections"):
            let records = world.state.withLock { $0.register.interconnections }
            return .json(200, ["interconnections": .object(records)])
        default:
            return .error(404, code: "not-found", message: "unknown simulator endpoint \(request.method) \(request.path)")
        }
    }

    /// Counts for dashboards and benchmarks; `repeatedEffects` counts the same operation
    /// applied more than once for the same dossier, which must stay 0.
    static func stats(_ world: SimulatedWorld) -> JSONValue {
        world.state.withLock { state in
            [
                "effects": .object(state.tally.byOperation.mapValues { .object($0.mapValues { .number(Double($0)) }) }),
                "totalEffects": .number(Double(state.effects.count)),
                "repeatedEffects": .number(Double(state.tally.repeated)),
                "requests": .object(state.requests.mapValues { .number(Double($0)) }),
                "unauthorized": .object(state.unauthorized.mapValues { .number(Double($0)) }),
                "dossiers": .number(Double(state.register.count)),
                "interconnections": .number(Double(state.register.interconnections.count)),
                "faultsInjected": .object(state.injected.mapValues { .number(Double($0)) }),
                "idempotencyKeyRepeats": .number(Double(state.keyRepeats)), "badAnswersServed": .number(Double(state.badAnswersServed)),
                "recordReads": .number(Double(state.recordReads)), "keysInFlight": .number(Double(state.keysInFlight)),
                "portal": ["synced": .number(Double(state.portalSynced.count)), "outOfOrder": .number(Double(state.portalOutOfOrder)),
                           "lastStatus": .object(state.portalProgress.compactMapValues { $0.last.map { .number(Double($0)) } })],
            ]
        }
    }

    static func faultsJSON(_ world: SimulatedWorld) -> JSONValue {
        let faults = world.state.withLock { $0.faults }
        return ["services": .object(Dictionary(uniqueKeysWithValues: SimulatedWorld.services.map { ($0, (faults[$0] ?? FaultSpec()).json) }))]
    }

    private static func setFaults(_ request: HTTPServerRequest, world: SimulatedWorld, suspend: @Sendable (String, Bool) -> Void) -> HTTPServerResponse {
        guard let body = try? JSONParser.parse(request.body), let members = body.objectValue, Set(members.keys).isSubset(of: ["reset", "services"]),
              body["reset"].map({ $0.boolValue != nil }) ?? true, body["services"].map({ $0.objectValue != nil }) ?? true else {
            return .error(400, code: "bad-request", message: "the body must be JSON: {\"reset\"?: bool, \"services\": {name: faults}}")
        }
        var faults = body["reset"]?.boolValue == true ? [:] : world.state.withLock { $0.faults }
        for (service, spec) in body["services"]?.objectValue ?? [:] {
            guard SimulatedWorld.services.contains(service) else {
                return .error(400, code: "bad-request", message: "unknown service \(service)")
            }
            var merged = faults[service] ?? FaultSpec()
            do {
                try merged.merge(spec)
            } catch {
                return .error(400, code: "bad-request", message: "\(service): \(error)")
            }
            faults[service] = merged
        }
        world.setFaults(faults)
        for service in SimulatedWorld.services { suspend(service, faults[service]?.down == true) }
        return .json(200, faultsJSON(world))
    }

    /// `{"service": "civil-registry", "operation": "/births", "bodies": [{"raw": "…"} | {"rawBase64": "…"}]}`:
    /// the agency answers its next pushes to that operation with these bodies, in order, as HTTP 200.
    private static func addBadAnswers(_ request: HTTPServerRequest, world: SimulatedWorld) -> HTTPServerResponse {
        guard let body = try? JSONParser.parse(request.body), let service = body["service"]?.stringValue, service != "register",
              SimulatedWorld.services.contains(service),
              let operation = body["operation"]?.stringValue, let items = body["bodies"]?.arrayValue else {
            return .error(400, code: "bad-request",
                          message: "the body must be {\"service\": agency, \"operation\": path, \"bodies\": [{\"raw\"|\"rawBase64\": …}]}")
        }
        var bodies: [[UInt8]] = []
        for item in items {
            // Each member given must be what it says: a request that is not as documented is refused, not half-read.
            guard item.objectValue != nil, [item["raw"], item["rawBase64"]].allSatisfy({ $0 == nil || $0?.stringValue != nil }),
                  let raw = item["raw"]?.stringValue.map({ Array($0.utf8) })
                ?? item["rawBase64"]?.stringValue.flatMap({ Data(base64Encoded: $0) }).map({ Array($0) }) else {
                return .error(400, code: "bad-request", message: "each body needs raw text or rawBase64")
            }
            bodies.append(raw)
        }
        world.state.withLock { $0.badAnswers[service + " " + operation, default: []] += bodies }
        return .json(200, ["queued": .number(Double(bodies.count))])
    }

    private static func addDossiers(_ request: HTTPServerRequest, world: SimulatedWorld) -> HTTPServerResponse {
        // Deeply nested test corpora must reach the register intact: the daemon is what should refuse them.
        guard let items = (try? JSONParser.parse(request.body, maxDepth: 4_096))?["items"]?.arrayValue else {
            return .error(400, code: "bad-request", message: "the body must be {\"items\": [{\"dossier\": …, \"simulate\"?: …}]}")
        }
        let skew = world.state.withLock { $0.faults["register"]?.lateCommitSkewMs ?? 0 }
        var stored: [JSONValue] = []
        for item in items {
            if let code = item["code"]?.stringValue, let raw = item["raw"]?.stringValue.map({ Array($0.utf8) })
                ?? item["rawBase64"]?.stringValue.flatMap({ Data(base64Encoded: $0) }).map({ Array($0) }) {
                // Served verbatim: lets tests feed the daemon malformed dossiers, invalid UTF-8 included.
                let updatedAt = world.putRawDossier(code: code, raw: raw)
                stored.append(["code": .string(code), "updatedAt": .string(updatedAt)])
            } else if let dossier = item["dossier"],
                      let (code, version, updatedAt) = world.putDossier(dossier, simulate: item["simulate"], keepTimestamps: false, skewMs: skew) {
                stored.append(["code": .string(code), "version": .number(Double(version)), "updatedAt": .string(updatedAt)])
            } else {
                return .error(400, code: "bad-request", message: "each item needs a dossier with a code, or raw text with a code")
            }
        }
        return .json(200, ["items": .array(stored)])
    }

    /// Decides pending receipts at once, so a test can make a cancellation arrive too late.
    static func decideNow(_ request: HTTPServerRequest, world: SimulatedWorld) -> HTTPServerResponse {
        let body = request.body.isEmpty ? [:] : (try? JSONParser.parse(request.body)) ?? .null
        guard body.objectValue != nil else { return .error(400, code: "bad-request", message: "the body must be a JSON object") }
        if let given = body["agency"], given.stringValue == nil {
            return .error(400, code: "bad-request", message: "agency must be a string")
        }
        let agency = body["agency"]?.stringValue
        guard agency.map({ SimulatedWorld.services.contains($0) && $0 != "register" }) ?? true else {
            return .error(400, code: "bad-request", message: "unknown agency \(agency ?? "")")
        }
        let now = Timestamp.now().millisecondsSinceEpoch
        let decided = world.state.withLock { state in
            var decided = 0
            for service in state.receipts.keys where agency.map({ $0 == service }) ?? true {
                for (id, receipt) in state.receipts[service]! where !receipt.cancelled && receipt.decideAtMs > now {
                    state.receipts[service]![id]!.decideAtMs = now
                    decided += 1
                }
            }
            return decided
        }
        return .json(200, ["decided": .number(Double(decided))])
    }
}
