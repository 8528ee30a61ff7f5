import Interlink
import InterlinkTestSupport
import Testing

@Suite("JSON Pointer and payload templates")
struct PayloadTemplateTests {
    let dossier: JSONValue = [
        "code": "H12.22-251120-0001",
        "form": [
            "child": ["fullName": "Trần Minh Khang", "dateOfBirth": "2025-11-09"],
            "mother": ["fullName": "Nguyễn Thị Mai", "personalId": "096196004583"],
            "a/b": ["m~n": 1],
            "list": [10, 20],
        ],
    ]

    @Test func resolvesRFC6901Pointers() throws {
        #expect(try JSONPointer("/form/child/fullName").resolve(in: dossier) == "Trần Minh Khang")
        #expect(try JSONPointer("/form/a~1b/m~0n").resolve(in: dossier) == 1)
        #expect(try JSONPointer("/form/list/1").resolve(in: dossier) == 20)
        #expect(try JSONPointer("/form/list/01").resolve(in: dossier) == nil)
        #expect(try JSONPointer("").resolve(in: dossier) == dossier)
        #expect(try JSONPointer("/form/a~1b/m~0n").description == "/form/a~1b/m~0n")
        #expect(throws: JSONPointer.SyntaxError.self) { try JSONPointer("form") }
        #expect(throws: JSONPointer.SyntaxError.self) { try JSONPointer("/bad~2") }
    }

    func template(_ json: JSONValue) throws -> PayloadTemplate {
        var issues: [ConfigIssue] = []
        let parsed = PayloadTemplate.parse(json, at: JSONPointer(tokens: ["payload"]), issues: &issues)
        #expect(issues.isEmpty, "\(issues)")
        return parsed
    }

    @Test func rendersDossierAndStepReferencesAndLiterals() throws {
        let template = try template([
            "dossierCode": "/code",
            "holder": ["personalId": "steps.birth.result/personalId", "fullName": "/form/child/fullName"],
            "purpose": ["$const": "land-transfer"],
            "slash": ["$literal": "/not-a-pointer"],
            "father?": ["fullName": "/form/father/fullName"],
        ])
        let body = try template.render(dossier: dossier, stepResults: ["birth": ["personalId": "096225001234"]])
        #expect(body == [
            "dossierCode": "H12.22-251120-0001",
            "holder": ["personalId": "096225001234", "fullName": "Trần Minh Khang"],
            "purpose": "land-transfer",
            "slash": "/not-a-pointer",
        ])
        #expect(template.referencedSteps == ["birth"])
    }

    @Test func reportsEveryMissingAndIllTypedFieldAtOnce() throws {
        let template = try template([
            "a": "/form/child/placeOfBirth",
            "b": ["$from": "/form/child/fullName", "type": "date"],
            "c": ["$from": "/form/mother/personalId", "type": "personal-id"],
            "d": "steps.birth.result/personalId",
        ])
        #expect {
            try template.render(dossier: dossier, stepResults: [:])
        } throws: { error in
            guard let error = error as? TemplateRenderError else { return false }
            return error.problems.map(\.description).sorted() == [
                "/form/child/fullName: expected date, found string",
                "/form/child/placeOfBirth: missing",
                "steps.birth.result/personalId: missing",
            ]
        }
    }

    /// Templates fail closed: a pointer that lost its slash would be sent to the agency as text.
    @Test func aBareStringIsRefusedAndAPointerWithoutItsSlashIsNamed() {
        var issues: [ConfigIssue] = []
        _ = PayloadTemplate.parse(["name": "form/child/fullName", "purpose": "land-transfer", "ok": ["$const": "land-transfer"], "n": 3],
                                  at: JSONPointer(tokens: ["routes", "0", "steps", "0", "payload"]), issues: &issues)
        let byPath = Dictionary(uniqueKeysWithValues: issues.map { ($0.path.description, $0.message) })
        #expect(byPath.count == 2, "\(issues)")
        #expect(byPath["/routes/0/steps/0/payload/name"]?.contains("looks like a JSON Pointer without its leading /") == true)
        #expect(byPath["/routes/0/steps/0/payload/name"]?.contains("\"/form/child/fullName\"") == true)
        #expect(byPath["/routes/0/steps/0/payload/purpose"]?.contains(#"{"$const": "land-transfer"}"#) == true)
    }

    @Test func reportsTemplateSyntaxProblemsWithTheirPaths() {
        var issues: [ConfigIssue] = []
        _ = PayloadTemplate.parse(["x": "/a~9", "y": ["$from": 3], "z": ["$from": "/a", "type": "colour"], "w": "steps.birth"],
                                  at: JSONPointer(tokens: ["routes", "0", "steps", "0", "payload"]), issues: &issues)
        let paths = Set(issues.map(\.path))
        #expect(paths.contains("/routes/0/steps/0/payload/x"))
        #expect(paths.contains("/routes/0/steps/0/payload/y/$from"))
        #expect(paths.contains("/routes/0/steps/0/payload/z/type"))
        #expect(paths.contains("/routes/0/steps/0/payload/w"))
    }
}

/// Which values of a request the configuration supplies, for telling a template mistake from
/// a dossier's.
@Suite("Payload template origins")
struct PayloadTemplateOriginTests {
    @Test func aRefusalNamingOnlyConstantsFaultsTheConfiguration() throws {
        var issues: [ConfigIssue] = []
        let template = PayloadTemplate.parse(["person": ["fullName": "/applicant/fullName"], "purpose": ["$const": 7],
                                              "list": [["$const": "x"], "/form/a"], "card": "steps.birth.result/cardNo"],
                                             at: JSONPointer(tokens: ["payload"]), issues: &issues)
        #expect(issues.isEmpty)
        #expect(template.origin(of: try JSONPointer("/purpose")) == .constant)
        #expect(template.origin(of: try JSONPointer("/person/fullName")) == .dossier)
        #expect(template.origin(of: try JSONPointer("/list/0")) == .constant)
        #expect(template.origin(of: try JSONPointer("/list/1")) == .dossier)
        #expect(template.origin(of: try JSONPointer("/card")) == .stepResult)
        #expect(template.origin(of: try JSONPointer("/nothing")) == nil)
        #expect(template.refusalFaultsConfiguration([["pointer": "/purpose", "message": "must be a string"]]))
        #expect(!template.refusalFaultsConfiguration([["pointer": "/purpose"], ["pointer": "/person/fullName"]]), "the dossier is named too")
        #expect(!template.refusalFaultsConfiguration([["code": "business-rule", "message": "no pointer"]]), "no field named: the dossier's")
    }
}
