extension AgencyDialect {
    /// Which of the three requests an answer is to: each reads a success (and a 409) its own way.
    public enum Request: Sendable, Hashable {
        case push
        case followReceipt(String)
        case cancelReceipt(String)

        var isCancellation: Bool {
            if case .cancelReceipt = self { true } else { false }
        }
    }

    /// What an answer to `request` means: classified by the one rule (``PeerAnswer``), then a
    /// success read as this dialect says. Pure.
    public func interpret(_ result: Result<HTTPResponse, HTTPClientError>, to request: Request) -> AgencyAnswer {
        switch PeerAnswer.classify(result) {
        case .success(let response): return success(response, to: request)
        case .refused(let reasons): return .rejected(reasons: reasons)
        // For a cancellation, 409 is "already decided": that decision stands and is followed.
        case .conflict where request.isCancellation: return .alreadyDecided
        case .conflict(let code): return .technical(reason: "HTTP 409" + (code.map { " (\($0))" } ?? ""), retryAfterMs: nil)
        case .technical(let reason, let retryAfterMs): return .technical(reason: reason, retryAfterMs: retryAfterMs)
        case .unauthorized(let reason): return .fatal(reason: reason)
        case .fatal(404, _):
            switch request {
            case .followReceipt(let receipt), .cancelReceipt(let receipt): return .fatal(reason: "the agency no longer knows receipt \(receipt)")
            case .push: return .fatal(reason: "HTTP 404: the agency has no such operation; check the step's operation path, then replay")
            }
        case .fatal(_, let reason): return .fatal(reason: reason)
        case .cancelled: return .handedBack
        }
    }

    private func success(_ response: HTTPResponse, to request: Request) -> AgencyAnswer {
        if !success.statuses.isEmpty, !success.statuses.contains(response.status) {
            return Self.malformed("HTTP \(response.status) is not one of this agency's success statuses")
        }
        let body: JSONValue
        do {
            body = try response.json()
        } catch {
            return Self.malformed("\(error)")
        }
        if let (pointer, code) = success.failure(in: body) { return failure(code: code, at: pointer, body: body, to: request) }
        let receiptID = receipt.resolve(in: body)?.scalarText.flatMap { $0.isEmpty ? nil : $0 }
        guard let decision else {
            switch request {
            case .cancelReceipt: return .cancelled
            case .push, .followReceipt: return completed(body, receipt: receiptID)
            }
        }
        let word = decision.pointer.resolve(in: body)?.scalarText
        var meaning = word.flatMap { decision.vocabulary[$0] }
        // The contract's 202 is a receipt whatever else the body says.
        if request == .push, response.status == 202, meaning == nil || meaning == .completed { meaning = .accepted }
        guard let meaning else {
            return Self.malformed(word.map { "unknown status \(JSONWriter.string(.string($0))) at \(decision.pointer)" }
                                  ?? "no status at \(decision.pointer)")
        }
        if case .cancelReceipt = request {
            switch meaning {
            case .cancelled: return .cancelled
            case .completed, .rejected: return .alreadyDecided
            case .accepted, .processing: return Self.malformed("a cancellation answered without status cancelled")
            }
        }
        switch meaning {
        case .completed: return completed(body, receipt: receiptID)
        case .accepted, .processing:
            guard let receiptID else { return Self.malformed("\(meaning.rawValue) without a receipt at \(receipt)") }
            return .accepted(receipt: receiptID)
        case .rejected: return .rejected(reasons: reasons(in: body))
        case .cancelled: return .cancelled
        }
    }

    /// A success status whose body says it failed (`error_code` other than the success values).
    private func failure(code: String?, at pointer: JSONPointer, body: JSONValue, to request: Request) -> AgencyAnswer {
        let message = errorMessage?.resolve(in: body)?.scalarText
        // The message is the agency's free text, kept in the reasons (for the register), not in the log.
        let said = "\(pointer) is \(code.map { JSONWriter.string(.string($0)) } ?? "missing")" + (message == nil ? "" : " (with a message)")
        guard let code, request == .push, !success.retryable.contains(code) else {
            return .technical(reason: "the agency answered an error: \(said)", retryAfterMs: nil)
        }
        let listed = reasons(in: body)
        return .rejected(reasons: listed.isEmpty ? [["code": .string(code), "message": .string(message ?? "refused")]] : listed)
    }

    private func completed(_ body: JSONValue, receipt: String?) -> AgencyAnswer {
        let value: JSONValue
        do {
            value = try result.render(dossier: body, stepResults: [:])
        } catch {
            return Self.malformed("completed without the result the dialect reads: " + error.problems.map(\.description).joined(separator: "; "))
        }
        guard case .object = value else { return Self.malformed("completed without a result object") }
        return .completed(receipt: receipt, result: value)
    }

    private func reasons(in body: JSONValue) -> [JSONValue] {
        switch reasons.resolve(in: body) {
        case .array(let reasons): reasons
        case nil, .null: []
        case .string(let text): [["code": "rejected", "message": .string(text)]]
        case let other?: [other]
        }
    }

    private static func malformed(_ what: String) -> AgencyAnswer {
        .technical(reason: "malformed answer: \(what)", retryAfterMs: nil)
    }
}
