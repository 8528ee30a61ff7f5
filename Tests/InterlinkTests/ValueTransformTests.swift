import Interlink
import Testing

/// Value transforms in templates: each checked at load with its JSON path, each failing a
/// dossier (before any push) with the value's reference when it cannot apply.
@Suite("Value transforms")
struct ValueTransformTests {
    static func template(_ json: JSONValue) -> (PayloadTemplate, [ConfigIssue]) {
        var issues: [ConfigIssue] = []
        let template = PayloadTemplate.parse(json, at: JSONPointer(tokens: ["payload"]), issues: &issues)
        return (template, issues)
    }

    static func render(_ json: JSONValue, _ dossier: JSONValue) throws -> JSONValue {
        let (template, issues) = template(json)
        #expect(issues.isEmpty)
        return try template.render(dossier: dossier, stepResults: [:])
    }

    @Test func datesMoveBetweenFormatsInANamedTimeZone() throws {
        let dossier: JSONValue = ["at": "2025-11-20T02:15:03.120Z", "born": "2025-02-28", "compact": "20251120091503", "vn": "28/02/2025"]
        #expect(try Self.render(["$date": "/at", "from": "rfc3339", "to": "yyyyMMddHHmmss", "timeZone": "Asia/Ho_Chi_Minh"], dossier)
                == "20251120091503", "UTC 02:15 is 09:15 in Hanoi")
        #expect(try Self.render(["$date": "/compact", "from": "yyyyMMddHHmmss", "to": "rfc3339"], dossier) == "2025-11-20T02:15:03.000Z")
        #expect(try Self.render(["$date": "/born", "from": "yyyy-MM-dd", "to": "dd/MM/yyyy"], dossier) == "28/02/2025")
        #expect(try Self.render(["$date": "/vn", "from": "dd/MM/yyyy", "to": "yyyyMMddHHmmss"], dossier) == "20250228000000")
        #expect(try Self.render(["$date": "/born", "from": "yyyy-MM-dd", "to": "yyyyMMdd"], dossier) == "20250228")
        #expect(throws: TemplateRenderError.self) { try Self.render(["$date": "/vn", "from": "yyyy-MM-dd", "to": "yyyyMMdd"], dossier) }
        #expect(throws: TemplateRenderError.self) { try Self.render(["$date": "/x", "from": "yyyyMMddHHmmss", "to": "rfc3339"], ["x": "20251320000000"]) }
    }

    @Test func numbersStringsMapsConcatenationAndUpperCase() throws {
        let dossier: JSONValue = ["sex": "male", "area": "120.5", "count": 3, "given": "Nguyễn Văn", "family": "An"]
        let rendered = try Self.render([
            "GioiTinh": ["$map": "/sex", "values": ["male": "1", "female": "2"]],
            "DienTich": ["$number": "/area"], "SoLuong": ["$string": "/count"],
            "HoTen": ["$upper": ["$concat": ["/given", "/family"], "separator": " "]],
            "Khac": ["$map": "/sex", "values": ["x": "y"], "default": "0"],
        ], dossier)
        #expect(rendered == ["GioiTinh": "1", "DienTich": 120.5, "SoLuong": "3", "HoTen": "NGUYỄN VĂN AN", "Khac": "0"])
        do {
            _ = try Self.render(["GioiTinh": ["$map": "/sex", "values": ["nam": "1"]]], dossier)
            Issue.record("an unlisted value cannot be sent")
        } catch {
            #expect((error as? TemplateRenderError)?.problems.map(\.description) == ["/sex: \"male\" is not listed in the value map"])
        }
        #expect(try Self.render(["x?": ["$upper": "/missing"]], dossier) == [:], "an optional member with nothing to transform is left out")
    }

    @Test func transformMistakesNameTheirJSONPath() {
        let (_, issues) = Self.template([
            "a": ["$date": "/x", "from": "yyyy", "timeZone": "Mars/Olympus"],
            "b": ["$map": "/x"], "c": ["$concat": []], "d": ["$upper": "/x", "$number": "/y"], "e": ["$string": "/x", "extra": 1],
        ])
        let paths = Set(issues.map(\.path))
        #expect(paths.isSuperset(of: ["/payload/a/from", "/payload/a/to", "/payload/a/timeZone", "/payload/b/values", "/payload/c/$concat",
                                      "/payload/d", "/payload/e/extra"]), "\(issues)")
    }
}
