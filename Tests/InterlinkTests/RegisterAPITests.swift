@testable import Interlink
import InterlinkTestSupport
import Testing

/// The register side maps too: a register with its own list, cursor, field names and
/// write-back call is read in Interlink's shapes, by configuration alone.
@Suite("Register API mapping")
struct RegisterAPITests {
    static func portal() throws -> InterlinkConfig {
        try DemoConfig.load { root in
            DemoConfig.set([
                "success": ["pointer": "/error_code", "values": ["0", "00"]],
                "list": ["path": "/ho-so", "updatedSince": "tuThoiDiem", "afterCode": "sauMa", "limit": "soLuong",
                         "items": "/data/danhSach", "next": "/data/tiepTheo", "nextUpdatedSince": "/thoiDiem", "nextAfterCode": "/ma"],
                "fields": ["code": "/MaHoSo", "version": ["$from": "/PhienBan", "type": "number"], "procedureCode": "/MaTTHC",
                           "updatedAt": "/ThoiDiemCapNhat", "form": "/ThongTin",
                           "status": ["$map": "/TrangThaiHoSo", "values": ["2": "received", "7": "cancelled"]]],
                "writeBack": ["method": "POST", "path": "/ho-so/{code}/lien-thong", "idempotencyKeyHeader": "X-Request-Id",
                              "body": ["MaHoSo": "/dossierCode", "NoiDung": "/record"]],
            ], at: ["register", "api"], in: &root)
        }
    }

    @Test func aPageInTheRegistersWordsIsReadInInterlinksShape() throws {
        let api = try Self.portal().register.api
        let page = #"""
            {"error_code":"00","data":{"danhSach":[
              {"MaHoSo":"H1","PhienBan":2,"MaTTHC":"1.001193","ThoiDiemCapNhat":"2025-11-20T02:15:03.120Z","TrangThaiHoSo":7,"ThongTin":{"a":1}},
              {"PhienBan":1,"MaTTHC":"1.001193","ThoiDiemCapNhat":"2025-11-20T02:15:04.000Z","TrangThaiHoSo":9,"ThongTin":{}}
            ],"tiepTheo":{"thoiDiem":"2025-11-20T02:15:04.000Z","ma":"H2"}}}
            """#
        let parsed = try RegisterPageParser.parsePage(api.canonicalPage(Array(page.utf8)))
        #expect(parsed.next == RegisterCursor(updatedSince: "2025-11-20T02:15:04.000Z", afterCode: "H2"))
        guard case .dossier(let first) = parsed.items[0], case .malformed(_, _, let reason) = parsed.items[1] else {
            Issue.record("one usable dossier and one quarantined: \(parsed.items)")
            return
        }
        #expect(first.code == "H1" && first.version == 2 && first.procedureCode == "1.001193" && first.status == "cancelled")
        #expect(first.payload["form"] == ["a": 1])
        #expect(reason.contains("register.api.fields") && reason.contains("/MaHoSo: missing") && reason.contains("\"9\" is not listed"),
                "the quarantine names the register's own fields: \(reason)")
    }

    @Test func anErrorCodeInsideA200IsAnOutageNotAnEmptyPage() throws {
        let api = try Self.portal().register.api
        #expect(throws: RegisterError.self) { try api.canonicalPage(Array(#"{"error_code":"99","message":"bận"}"#.utf8)) }
    }

    @Test func theWriteBackBodyIsBuiltFromTheRecord() throws {
        let api = try Self.portal().register.api
        let record = WriteBackRecord(dossierCode: "H1", dossierVersion: 2, sequence: 1, outcome: .completed, body: #"{"outcome":"completed"}"#,
                                     idempotencyKey: "k", state: .pending, attempts: 0, nextAttemptAt: nil, firstAttemptAt: nil, lastError: nil)
        #expect(try api.writeBackBody(record).get() == JSONWriter.bytes(["MaHoSo": "H1", "NoiDung": ["outcome": "completed"]]))
        #expect(api.writeBack.method == "POST" && api.writeBack.keyHeader == "X-Request-Id")
        #expect(try DemoConfig.load { _ in }.register.api == .contract, "without register.api the contract is spoken unchanged")
    }

    @Test func registerMappingMistakesNameTheirJSONPath() {
        #expect {
            try DemoConfig.load { root in
                DemoConfig.set(["list": ["items": "data"], "writeBack": ["method": "PATCH", "path": "/x/{id}"],
                                "fields": ["code": "steps.birth.result/x"]], at: ["register", "api"], in: &root)
            }
        } throws: { error in
            let paths = Set((error as? ConfigError)?.issues.map(\.path) ?? [])
            return paths.isSuperset(of: ["/register/api/list/items", "/register/api/writeBack/method", "/register/api/writeBack/path", "/register/api/fields"])
        }
    }
}
