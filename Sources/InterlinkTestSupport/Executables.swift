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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData: [UInt8] = []
    group.enter()
    DispatchQueue.global().async {
        errData = FileBytes.readToEnd(descriptor: err.fileHandleForReading.fileDescriptor) ?? []
        group.leave()
    }
    let outData = FileBytes.readToEnd(descriptor: out.fileHandleForReading.fileDescriptor) ?? []
    group.wait()
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
