import Foundation
public import Interlink

/// The register side of the bad-input corpus: dossiers with invalid UTF-8, duplicate keys,
/// wrong types, missing fields, deep nesting, a huge body, and CR/LF in a name, each made
/// from a good fixture, for `/_sim/dossiers`.
public enum BadDossierCorpus: Sendable {
    /// Codes that must be quarantined with their reason (the invalid UTF-8 one is found by its reason).
    public static let quarantinedCodes = ["BAD-DUPLICATE", "BAD-TYPES", "BAD-MISSING", "BAD-DEEP", "BAD-HUGE", "BAD-NO-CHILD-DOB"]
    /// How many items of one copy the register page parser refuses, so they never become dossiers
    /// in the journal (the others are stored and quarantined by their route's checks, or complete).
    public static let refusedAtThePage = 6

    /// The items, with `suffix` appended to every code so the corpus can be added many times.
    public static func items(suffix: String = "") throws -> [JSONValue] {
        let fixture = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath:
            Executables.packageRoot + "/Fixtures/dossiers/01-birth-ok-hoa-thanh.json")))["dossier"]!
        func variant(_ code: String, _ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
            guard case .object(var members) = fixture else { return fixture }
            members["code"] = .string(code + suffix)
            edit(&members)
            return .object(members)
        }
        let deep = (0..<100).reduce(JSONValue.string("bottom")) { inner, _ in ["nested": inner] }
        // The code stays readable, so each copy is a distinct item to quarantine.
        let utf8 = Array(#"{"code":"BAD-UTF8\#(suffix)","version":1,"note":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        return [
            ["code": .string("BAD-UTF8" + suffix), "rawBase64": .string(Data(utf8).base64EncodedString())],
            ["code": .string("BAD-DUPLICATE" + suffix),
             "raw": .string(#"{"code":"BAD-DUPLICATE\#(suffix)","code":"OTHER","version":1,"procedureCode":"1.001193","updatedAt":"2025-11-20T01:00:00.000Z","form":{}}"#)],
            // Raw, because the simulator would renumber a dossier it stores itself.
            ["code": .string("BAD-TYPES" + suffix), "raw": .string(JSONWriter.string(variant("BAD-TYPES") { $0["version"] = "one" }))],
            ["dossier": variant("BAD-MISSING") { $0["procedureCode"] = nil }],
            ["dossier": variant("BAD-DEEP") { $0["form"] = ["deep": deep] }],
            ["dossier": variant("BAD-HUGE") { $0["attachments"] = .array(Array(repeating: .string(String(repeating: "x", count: 1_000)), count: 600)) }],
            ["dossier": variant("BAD-NO-CHILD-DOB") { members in
                if case .object(var form) = members["form"]!, case .object(var child) = form["child"]! {
                    child["dateOfBirth"] = 20251109
                    form["child"] = .object(child)
                    members["form"] = .object(form)
                }
            }],
            ["dossier": variant("CRLF-NAME") { members in
                if case .object(var applicant) = members["applicant"]! {
                    applicant["fullName"] = "Nguyễn Thị Mai\r\n<3>{\"msg\":\"forged\"}"
                    members["applicant"] = .object(applicant)
                }
            }],
        ]
    }
}
