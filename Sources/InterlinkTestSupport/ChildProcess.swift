import Foundation
import Interlink
import Synchronization

/// A real child process for end-to-end tests: output captured to files (readable while it
/// runs), signals, and waits on conditions with deadlines instead of sleeps.
public final class ChildProcess: Sendable {
    public let pid: Int32
    public let stdoutPath: String
    public let stderrPath: String
    private let exited = ExitState()

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                outputDirectory: String, name: String) throws {
        stdoutPath = outputDirectory + "/\(name).stdout"
        stderrPath = outputDirectory + "/\(name).stderr"
        pid = try spawnChild([executable] + arguments, environment: environment, stdout: .file(stdoutPath), stderr: .file(stderrPath))
        // A thread of its own blocks in waitpid until the child ends: children outlive tests'
        // awaits, and the cooperative pool must never block.
        SystemThread.detached(name: "wait \(name)") { [pid, exited] in
            let status = waitForChild(pid)
            exited.status.withLock { $0 = status }
        }
    }

    public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    /// The exit status, negative for the signal that killed it, or `nil` while running.
    public var exitStatus: Int32? { exited.status.withLock { $0 } }

    public func signal(_ number: Int32) {
        // Only while it runs: once reaped, its pid may be another process's.
        guard exitStatus == nil else { return }
        kill(pid, number)
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

/// Where the waiting thread records how the child ended.
private final class ExitState: Sendable {
    let status = Mutex<Int32?>(nil)
}
