import Interlink
import Synchronization

extension SimulatedWorld {
    static let registerPrefix = "/api/v1/dossiers"
    static let outcomes: Set<String> = ["in-progress", "completed", "supplement-requested", "needs-review", "failed"]

    func handleRegister(_ request: HTTPServerRequest, key: String?, latencyMs: Int) -> HTTPServerResponse {
        guard request.path.hasPrefix(Self.registerPrefix) else {
            return .error(404, code: "not-found", message: "the register serves \(Self.registerPrefix)")
        }
        let rest = request.path.dropFirst(Self.registerPrefix.count).split(separator: "/").map(String.init)
        switch (request.method, rest.count) {
        case ("GET", 0):
            Self.sleep(milliseconds: latencyMs)
            return list(request.query)
        case ("GET", 1):
            Self.sleep(milliseconds: latencyMs)
            return state.withLock { state in
                guard let entry = state.register.entries[rest[0]] else { return .error(404, code: "not-found", message: "no dossier \(rest[0])") }
                return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: entry.raw)
            }
        case ("GET", 2) where rest[1] == "interconnection":
            Self.sleep(milliseconds: latencyMs)
            return state.withLock { state in
                state.recordReads += 1
                guard let record = state.register.interconnections[rest[0]] else {
                    return .error(404, code: "not-found", message: "no interconnection record for \(rest[0])")
                }
                return .json(200, record)
            }
        case ("PUT", 2) where rest[1] == "interconnection":
            return writeBack(code: rest[0], request, key: key, latencyMs: latencyMs)
        default:
            return .error(404, code: "not-found", message: "\(request.method) \(request.path) is not a register operation")
        }
    }

    private func list(_ query: [String: String]) -> HTTPServerResponse {
        let limit = query["limit"].map { Int($0) ?? -1 } ?? 100
        guard (1...500).contains(limit) else { return .error(400, code: "bad-request", message: "limit must be from 1 to 500") }
        if let after = query["afterCode"], after.isEmpty || after.utf8.count > 64 {
            return .error(400, code: "bad-request", message: "afterCode is a dossier code of at most 64 characters")
        }
        var position: RegisterStore.Key?
        if let since = query["updatedSince"] {
            guard let stamp = Timestamp(rfc3339: since) else {
                return .error(400, code: "bad-request", message: "updatedSince must be an RFC 3339 timestamp")
            }
            position = RegisterStore.Key(updatedAtMs: stamp.millisecondsSinceEpoch, code: query["afterCode"] ?? "")
        }
        let (entries, more) = state.withLock { $0.register.page(after: position, limit: limit) }
        var body = Array(#"{"items":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: entry.raw)
        }
        body.append(contentsOf: #"],"next":"#.utf8)
        if more, let last = entries.last {
            JSONWriter.write(["updatedSince": .string(last.updatedAt), "afterCode": .string(last.code)], into: &body)
        } else {
            body.append(contentsOf: "null".utf8)
        }
        body.append(UInt8(ascii: "}"))
        return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }

    private func writeBack(code: String, _ request: HTTPServerRequest, key: String?, latencyMs: Int) -> HTTPServerResponse {
        guard let body = try? JSONParser.parse(request.body), let version = body["dossierVersion"]?.intValue,
              let outcome = body["outcome"]?.stringValue, Self.outcomes.contains(outcome), body["steps"]?.arrayValue != nil else {
            return .error(400, code: "bad-request",
                          message: "the body needs dossierVersion (integer), outcome (one of the five) and steps (array)")
        }
        return idempotent(service: "register", scope: request.method + " " + request.path, key: key, body: request.body, latencyMs: latencyMs) { state in
            guard let entry = state.register.entries[code] else {
                return (StoredResponse(status: 404, body: Self.errorBody("not-found", "no dossier \(code)")), nil)
            }
            guard entry.version == version else {
                var conflict = Self.errorBody("version-conflict", "the dossier changed; re-read it and reconcile")
                if case .object(var error) = conflict["error"] {
                    error["currentVersion"] = .number(Double(entry.version))
                    conflict = ["error": .object(error)]
                }
                return (StoredResponse(status: 409, body: conflict), nil)
            }
            state.register.interconnections[code] = body
            let effect = SimulatedEffect(service: "register", operation: "interconnection", idempotencyKey: key ?? "",
                                         dossierCode: code, receipt: nil, at: .now())
            return (StoredResponse(status: 200, body: body), effect)
        }
    }

    /// Adds a dossier to the register, or a new version of one already there.
    /// Returns the stored code, version and `updatedAt`.
    @discardableResult
    func putDossier(_ dossier: JSONValue, simulate: JSONValue?, keepTimestamps: Bool, skewMs: Int = 0) -> (String, Int, String)? {
        guard case .object(var members) = dossier, let code = members["code"]?.stringValue else { return nil }
        return state.withLock { state in
            let previous = state.register.entries[code]?.version ?? 0
            let version = max(previous + 1, keepTimestamps ? (members["version"]?.intValue ?? 1) : 1)
            var updated = Timestamp.now()
            if keepTimestamps, let given = members["updatedAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) {
                updated = given
            } else if skewMs > 0 {
                // A late commit: the register stamps it earlier than positions already listed, by
                // at least half the skew, so a test's own pauses on a loaded machine (seconds)
                // never make a "late" commit land after the positions it should precede.
                updated = updated.adding(milliseconds: -Int64(random.integer((skewMs / 2)...skewMs, "skew", code, String(version))))
            }
            members["version"] = .number(Double(version))
            members["updatedAt"] = .string(updated.description)
            let value = JSONValue.object(members)
            state.register.put(RegisterStore.Entry(code: code, version: version, updatedAt: updated.description,
                                                   updatedAtMs: updated.millisecondsSinceEpoch, raw: JSONWriter.bytes(value), dossier: value))
            if let simulate { state.hints[code] = simulate }
            return (code, version, updated.description)
        }
    }

    /// Adds bytes the register serves verbatim as a dossier: malformed input for tests.
    func putRawDossier(code: String, raw: [UInt8]) -> String {
        state.withLock { state in
            let version = (state.register.entries[code]?.version ?? 0) + 1
            let now = Timestamp.now()
            state.register.put(RegisterStore.Entry(code: code, version: version, updatedAt: now.description,
                                                   updatedAtMs: now.millisecondsSinceEpoch, raw: raw, dossier: nil))
            return now.description
        }
    }

    func addParcels(_ parcels: [JSONValue]) {
        state.withLock { state in
            for parcel in parcels {
                if let sheet = parcel["mapSheetNo"]?.stringValue, let number = parcel["parcelNo"]?.stringValue {
                    state.parcels.insert(sheet + "/" + number)
                }
            }
        }
    }
}
