import Interlink
import InterlinkTestSupport
import Testing

/// Answer mapping: an agency that speaks its own dialect is read by configuration alone.
@Suite("Agency dialects")
struct AgencyDialectTests {
    /// The national portal's shape: an `error_code` (0 or "00") inside HTTP 200, Vietnamese
    /// statuses under `data`, receipts polled and cancelled at their own paths.
    static let portal: JSONValue = [
        "method": "PUT", "headers": ["X-Nguon": "interlink"], "idempotencyKeyHeader": "X-Request-Id",
        "success": ["status": [200], "pointer": "/error_code", "values": ["0", "00"], "retryable": ["99"]],
        "decision": ["pointer": "/data/TrangThai",
                     "vocabulary": ["DA_XU_LY": "completed", "DA_TIEP_NHAN": "accepted", "DANG_XU_LY": "processing", "TU_CHOI": "rejected", "DA_HUY": "cancelled"]],
        "receipt": "/data/SoBienNhan", "result": "/data/KetQua", "reasons": "/data/LyDo", "errorMessage": "/message",
        "receiptPoll": ["method": "POST", "path": "/tra-cuu/{receipt}", "body": [:]],
        "cancel": ["path": "/bien-nhan/{receipt}/huy"],
    ]

    static func dialect(_ json: JSONValue, step: JSONValue? = nil) throws -> (agency: AgencyDialect, step: AgencyDialect) {
        let config = try DemoConfig.load { root in
            DemoConfig.set(json, at: ["agencies", "civil-registry", "dialect"], in: &root)
            if let step, case .array(var routes)? = root["routes"], case .object(var birth) = routes[0], case .array(var steps)? = birth["steps"],
               case .object(var first) = steps[0] {
                first["dialect"] = step
                steps[0] = .object(first)
                birth["steps"] = .array(steps)
                routes[0] = .object(birth)
                root["routes"] = .array(routes)
            }
        }
        return (config.agencies["civil-registry"]!.dialect, config.routes[0].steps[0].dialect)
    }

    static func read(_ dialect: AgencyDialect, _ status: Int, _ body: String, _ request: AgencyDialect.Request = .push) -> AgencyAnswer {
        dialect.interpret(.success(HTTPResponse(status: status, body: Array(body.utf8))), to: request)
    }

    @Test func thePortalsAnswersMeanWhatItsVocabularySays() throws {
        let portal = try Self.dialect(Self.portal).agency
        #expect(Self.read(portal, 200, #"{"error_code":0,"data":{"SoBienNhan":"BN1","TrangThai":"DA_XU_LY","KetQua":{"SoGiayKhaiSinh":"KS-1"}}}"#)
            == .completed(receipt: "BN1", result: ["SoGiayKhaiSinh": "KS-1"]), "error_code 0 as a number is a success")
        #expect(Self.read(portal, 200, #"{"error_code":"00","data":{"SoBienNhan":"BN1","TrangThai":"DA_TIEP_NHAN"}}"#) == .accepted(receipt: "BN1"),
                "and so is \"00\" as text")
        #expect(Self.read(portal, 200, #"{"error_code":"00","data":{"TrangThai":"TU_CHOI","LyDo":[{"code":"x","message":"sai"}]}}"#)
            == .rejected(reasons: [["code": "x", "message": "sai"]]))
        #expect(Self.read(portal, 200, #"{"error_code":"01","message":"Thiếu trường HoTen"}"#)
            == .rejected(reasons: [["code": "01", "message": "Thiếu trường HoTen"]]), "a failure code in a 200 is a refusal of the request")
        guard case .technical(let busy, _) = Self.read(portal, 200, #"{"error_code":"99","message":"hệ thống bận"}"#),
              case .technical(let unknown, _) = Self.read(portal, 200, #"{"error_code":"00","data":{"TrangThai":"LA"}}"#),
              case .technical(let pollError, _) = Self.read(portal, 200, #"{"error_code":"01"}"#, .followReceipt("BN1")) else {
            Issue.record("a retryable code, an unknown status and a failed poll are technical")
            return
        }
        #expect(busy.contains("/error_code") && busy.contains("with a message") && !busy.contains("hệ thống bận"), "the agency's words stay out of the log")
        #expect(unknown.contains("unknown status \"LA\" at /data/TrangThai"))
        #expect(pollError.contains("\"01\""))
        #expect(Self.read(portal, 200, #"{"error_code":"00","data":{"TrangThai":"DA_HUY"}}"#, .cancelReceipt("BN1")) == .cancelled)
        #expect(Self.read(portal, 200, #"{"error_code":"00","data":{"TrangThai":"DA_XU_LY"}}"#, .cancelReceipt("BN1")) == .alreadyDecided)
        #expect(portal.method == "PUT" && portal.keyHeader == "X-Request-Id" && portal.headers == ["X-Nguon": "interlink"])
        #expect(portal.receiptPoll.path.fill(named: ["receipt": "BN 1/2"]) == .success("/tra-cuu/BN%201%2F2"))
        #expect(portal.cancel.method == "POST" && portal.cancel.body == [:], "what the override leaves out stays as the contract says")
    }

    @Test func anAgencyWithoutDecisionsOrReceiptsCompletesOnSuccess() throws {
        let plain = try Self.dialect(["success": ["pointer": "/ok", "values": [true]], "decision": nil, "result": ""]).agency
        #expect(Self.read(plain, 200, #"{"ok":true,"residenceNo":"CT-9"}"#) == .completed(receipt: nil, result: ["ok": true, "residenceNo": "CT-9"]))
        #expect(Self.read(plain, 200, #"{"ok":false}"#) == .rejected(reasons: [["code": "false", "message": "refused"]]))
    }

    @Test func aStepOverridesItsAgencysDialectAndTheContractStaysTheDefault() throws {
        let (agency, step) = try Self.dialect(Self.portal, step: ["method": "POST", "result": "/data"])
        #expect(agency.method == "PUT" && step.method == "POST")
        #expect(step.result == .pointer(try JSONPointer("/data")) && step.decision == agency.decision)
        let contract = try DemoConfig.load { _ in }
        #expect(contract.agencies.values.allSatisfy { $0.dialect == .contract })
    }

    @Test func aResultTemplateRenamesTheAgencysFieldsAndConvertsTheirDates() throws {
        let (_, step) = try Self.dialect(Self.portal, step: ["result": [
            "certificateNo": "/data/KetQua/SoGiayKhaiSinh",
            "dateOfBirth": ["$date": "/data/KetQua/NgaySinh", "from": "yyyyMMddHHmmss", "to": "yyyy-MM-dd"],
        ]])
        #expect(Self.read(step, 200, #"{"error_code":"00","data":{"TrangThai":"DA_XU_LY","KetQua":{"SoGiayKhaiSinh":"KS-1","NgaySinh":"20250228000000"}}}"#)
            == .completed(receipt: nil, result: ["certificateNo": "KS-1", "dateOfBirth": "2025-02-28"]))
        guard case .technical(let reason, _) = Self.read(step, 200, #"{"error_code":"00","data":{"TrangThai":"DA_XU_LY","KetQua":{"NgaySinh":"x"}}}"#) else {
            Issue.record("an answer without the result's fields is malformed, so it is retried and then shown, never guessed")
            return
        }
        #expect(reason.contains("/data/KetQua/SoGiayKhaiSinh: missing") && reason.contains("/data/KetQua/NgaySinh"))
    }

    @Test func pathTemplatesTakeDossierValuesEncoded() throws {
        let template = try PathTemplate("/api/khaisinh/{/code}/{/form/kind}")
        #expect(template.fill(document: ["code": "H12/1", "form": ["kind": 2]]) == .success("/api/khaisinh/H12%2F1/2"))
        guard case .failure(let missing) = template.fill(document: ["code": "H1"]) else {
            Issue.record("a missing value cannot be sent")
            return
        }
        #expect(missing.description.contains("/form/kind"))
        #expect(template.matches("/api/khaisinh/H12%2F1/2") && !template.matches("/api/khaitu/H1/2"))
        #expect(try PathTemplate("/births").matches("/births") && !(try PathTemplate("/births").matches("/births/x")))
        #expect(throws: PathTemplateError.self) { try PathTemplate("/a/{code") }
        #expect(throws: PathTemplateError.self) { try PathTemplate("/a/{co de}") }
    }

    @Test func dialectMistakesNameTheirJSONPath() throws {
        #expect {
            try Self.dialect(["method": "PATCH", "success": ["pointer": "error_code"], "decision": ["vocabulary": ["X": "done"]],
                              "receiptPoll": ["path": "/r/{id}"], "headers": ["Bad Header": "x"]], step: ["receipt": "nope"])
        } throws: { error in
            let paths = Set((error as? ConfigError)?.issues.map(\.path) ?? [])
            let base = "/agencies/civil-registry/dialect"
            return paths.isSuperset(of: [base + "/method", base + "/success/pointer", base + "/decision/pointer", base + "/decision/vocabulary/X",
                                         base + "/receiptPoll/path", base + "/headers/Bad Header", "/routes/0/steps/0/dialect/receipt"])
        }
    }
}
