import Foundation
import Interlink
import InterlinkTestSupport

/// `Config/demo.json` with an edit, loaded as `interlinkd` would, secrets from `files`.
enum DemoConfig {
    static func load(files: [String: String] = [:], edit: (inout [String: JSONValue]) throws -> Void) throws -> InterlinkConfig {
        let directory = try TemporaryDirectory()
        for (name, content) in files { try directory.write(name, content) }
        guard case .object(var root) = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Config/demo.json"))) else {
            throw HarnessError("demo.json is not an object")
        }
        try edit(&root)
        try FileManager.default.createSymbolicLink(atPath: directory.file("demo-credentials"),
                                                   withDestinationPath: Executables.packageRoot + "/Config/demo-credentials")
        let path = try directory.write("interlink.json", JSONWriter.string(.object(root)))
        return try InterlinkConfig.load(path: path, environment: ["CREDENTIALS_DIRECTORY": directory.path])
    }

    /// Sets `value` at `tokens` inside `root`, creating objects on the way.
    static func set(_ value: JSONValue, at tokens: [String], in root: inout [String: JSONValue]) {
        guard let first = tokens.first else { return }
        if tokens.count == 1 {
            root[first] = value
            return
        }
        var inner = root[first]?.objectValue ?? [:]
        set(value, at: Array(tokens.dropFirst()), in: &inner)
        root[first] = .object(inner)
    }
}
