import Foundation
import Synchronization

/// A real child process for end-to-end tests: output captured to files (readable while it
/// runs), signals, and waits on conditions with deadlines instead of sleeps.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before launch and then only queried (thread-safe);
    // the exit state is behind a Mutex.
    private let process = Process()
    public let stdoutPath: String
    public let stderrPath: String
    private let exited = ExitState()

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                outputDirectory: String, name: String) throws {
        stdoutPath = outputDirectory + "/\(name).stdout"
        stderrPath = outputDirectory + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [exited] process in
            exited.status.withLock { $0 = process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus }
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    /// The exit status, negative for the signal that killed it, or `nil` while running.
    public var exitStatus: Int32? { exited.status.withLock { $0 } }

    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits until `condition` holds, checking every 20 ms, for at most `timeout`. A timeout is
    /// a ceiling, paid only by a failing test: make it generous (60–90 s for work a daemon
    /// does), since CI starts every suite at once on two cores and a 30 s wait has run out there.
    @discardableResult
    public static func waitUntil(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    /// The exit status once the process ends, or `nil` if it is still running after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        await Self.waitUntil(timeout: timeout) { exitStatus != nil }
        return exitStatus
    }

    /// Waits for stderr to contain `text`.
    public func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async -> Bool {
        await Self.waitUntil(timeout: timeout) { stderr.contains(text) }
    }

    /// Kills the process if it still runs and waits for it.
    public func terminate() async {
        guard exitStatus == nil else { return }
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }
}

/// Where the termination handler records how the child ended.
private final class ExitState: Sendable {
    let status = Mutex<Int32?>(nil)
}
