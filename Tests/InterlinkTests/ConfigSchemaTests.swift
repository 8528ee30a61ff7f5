import Foundation
import Interlink
import InterlinkTestSupport
import Testing

@Suite("Configuration reference")
struct ConfigSchemaTests {
    /// The README's reference lists every field the config reader understands, so it cannot drift.
    @Test func theREADMEDocumentsEveryConfigField() throws {
        // The example and the dialect example between them use every field.
        let all = try ["interlink.example.json", "dialect-example.json"].reduce(into: Set<String>()) { fields, file in
            let example = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Config/" + file)))
            fields.formUnion(InterlinkConfig.schemaFields(of: example).filter { !$0.hasSuffix("comment") && $0 != "$schema" })
        }
        // Objects are documented through their members.
        let fields = all.filter { field in !all.contains { $0.hasPrefix(field + ".") || $0.hasPrefix(field + "[]") } }
        #expect(fields.count > 40)
        let readme = try String(contentsOfFile: Executables.packageRoot + "/README.md", encoding: .utf8)
        let missing = fields.sorted().filter { !readme.contains("`\($0)`") }
        #expect(missing.isEmpty, "undocumented config fields: \(missing.joined(separator: ", "))")
    }
}
