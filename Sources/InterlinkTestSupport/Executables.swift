import Foundation
import Interlink

/// The package's built products and its source tree, found from the test bundle's location
/// (`.build/<config>/InterlinkPackageTests.xctest`), so tests run the real binaries.
public enum Executables: Sendable {
    public static var buildDirectory: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("interlinkd").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return packageRoot + "/.build/debug"
    }

    public static var packageRoot: String {
        // This file is Sources/InterlinkTestSupport/Executables.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    public static func path(_ name: String) -> String { buildDirectory + "/" + name }
}

/// The result of a finished child process.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs an executable to completion, capturing its output.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil) throws -> ProcessOutput {
    let result = try spawnAndWait([executable] + arguments, environment: environment, directory: currentDirectory,
                                  captureOutput: true, captureErrors: true)
    return ProcessOutput(status: result.status, stdout: String(decoding: result.output, as: UTF8.self),
                         stderr: String(decoding: result.errors, as: UTF8.self))
}
