import Interlink
import Synchronization

extension SimulatedWorld {
    func handleAgency(_ service: String, _ request: HTTPServerRequest, key: String?, latencyMs: Int, decisionDelayMs: Int) -> HTTPServerResponse {
        let segments = request.pathSegments
        switch (request.method, segments.count) {
        case ("POST", 1) where AgencyRules.operations[service]?.contains(String(segments[0])) == true:
            return submit(service, operation: String(segments[0]), request, key: key, latencyMs: latencyMs, decisionDelayMs: decisionDelayMs)
        case ("GET", 2) where segments[0] == "receipts":
            Self.sleep(milliseconds: latencyMs)
            return receipt(service, id: String(segments[1]))
        case ("POST", 3) where segments[0] == "receipts" && segments[2] == "cancel":
            return cancel(service, id: String(segments[1]), request, key: key, latencyMs: latencyMs)
        default:
            return .error(404, code: "not-found", message: "\(request.method) \(request.path) is not an operation of \(service)")
        }
    }

    private func submit(_ service: String, operation: String, _ request: HTTPServerRequest, key: String?,
                        latencyMs: Int, decisionDelayMs: Int) -> HTTPServerResponse {
        guard let body = try? JSONParser.parse(request.body), case .object = body else {
            return .error(400, code: "bad-request", message: "the body must be a JSON object")
        }
        return idempotent(service: service, scope: request.method + " " + request.path, key: key, body: request.body, latencyMs: latencyMs) { state in
            guard let dossierCode = body["dossierCode"]?.stringValue, !dossierCode.isEmpty, let key else {
                return (StoredResponse(status: 422, body: Self.errorBody("validation-failed", "dossierCode is required",
                        fields: [AgencyRules.reason("/dossierCode", "required", "required field is missing")])), nil)
            }
            let rules = AgencyRules(random: random, today: Self.today, issued: state.issued, parcels: state.parcels,
                                    hints: state.hints[dossierCode] ?? [:])
            switch rules.evaluate(operation: operation, body: body, key: key) {
            case .invalid(let problems):
                return (StoredResponse(status: 422, body: Self.errorBody("validation-failed", "the request has invalid fields", fields: problems)), nil)
            case .accepted(let decision, let issue):
                let receiptID = Self.receiptPrefix(service) + String(random.value("receipt", service, key) % 1_000_000_000_000)
                if decisionDelayMs == 0, case .rejected(let reasons) = decision {
                    return (StoredResponse(status: 422, body: Self.errorBody("business-rule", "the request breaks a business rule", fields: reasons)), nil)
                }
                issue(&state.issued)
                let effect = SimulatedEffect(service: service, operation: operation, idempotencyKey: key, dossierCode: dossierCode,
                                             receipt: receiptID, at: .now())
                if decisionDelayMs == 0, case .completed(let result) = decision {
                    return (StoredResponse(status: 200, body: ["receipt": .string(receiptID), "status": "completed", "result": result]), effect)
                }
                state.receipts[service, default: [:]][receiptID] = Receipt(
                    id: receiptID, operation: operation, dossierCode: dossierCode,
                    decideAtMs: Timestamp.now().millisecondsSinceEpoch + Int64(decisionDelayMs), decision: decision)
                return (StoredResponse(status: 202, body: ["receipt": .string(receiptID), "status": "accepted"]), effect)
            }
        }
    }

    private func receipt(_ service: String, id: String) -> HTTPServerResponse {
        state.withLock { state in
            guard let receipt = state.receipts[service]?[id] else {
                return .error(404, code: "not-found", message: "no receipt \(id)")
            }
            var body: JSONValue = ["receipt": .string(id), "status": "processing", "result": nil, "reasons": []]
            if receipt.cancelled {
                body = ["receipt": .string(id), "status": "cancelled", "result": nil, "reasons": []]
            } else if Timestamp.now().millisecondsSinceEpoch >= receipt.decideAtMs {
                switch receipt.decision {
                case .completed(let result): body = ["receipt": .string(id), "status": "completed", "result": result, "reasons": []]
                case .rejected(let reasons): body = ["receipt": .string(id), "status": "rejected", "result": nil, "reasons": .array(reasons)]
                }
            }
            return .json(200, body)
        }
    }

    private func cancel(_ service: String, id: String, _ request: HTTPServerRequest, key: String?, latencyMs: Int) -> HTTPServerResponse {
        idempotent(service: service, scope: request.method + " " + request.path, key: key, body: request.body, latencyMs: latencyMs) { state in
            guard let receipt = state.receipts[service]?[id] else {
                return (StoredResponse(status: 404, body: Self.errorBody("not-found", "no receipt \(id)")), nil)
            }
            guard !receipt.cancelled else {
                return (StoredResponse(status: 200, body: ["status": "cancelled"]), nil)
            }
            guard Timestamp.now().millisecondsSinceEpoch < receipt.decideAtMs else {
                return (StoredResponse(status: 409, body: Self.errorBody("already-decided", "the receipt is already decided")), nil)
            }
            state.receipts[service]![id]!.cancelled = true
            let effect = SimulatedEffect(service: service, operation: "cancel", idempotencyKey: key ?? "",
                                         dossierCode: receipt.dossierCode, receipt: id, at: .now())
            return (StoredResponse(status: 200, body: ["status": "cancelled"]), effect)
        }
    }

    static func receiptPrefix(_ service: String) -> String {
        switch service {
        case "civil-registry": "HT-"
        case "land": "DD-"
        case "insurance": "BH-"
        default: "R-"
        }
    }
}
