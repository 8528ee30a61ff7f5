import Foundation
import InterlinkTestSupport
import Testing

/// The harness's one way to start a child (tests run in parallel, and every daemon and
/// simulator they start goes through it).
@Suite("Child processes: what a spawned child gets")
struct ChildSpawnTests {
    /// A child that only sleeps, read from outside through `/proc`: a shell reading its own
    /// would show the shell's state while it waits for its command, not the spawned child's.
    private static func sleeper(in directory: TemporaryDirectory) throws -> ChildProcess {
        try ChildProcess("/bin/sleep", ["600"], outputDirectory: directory.path, name: "sleeper")
    }

    @Test func aChildGetsItsThreeStreamsAndNoOtherDescriptorOfTheCaller() async throws {
        // A descriptor the test process holds without close-on-exec, as libcurl's sockets are.
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        #expect(held > 2)
        let directory = try TemporaryDirectory()
        let child = try Self.sleeper(in: directory)
        func descriptors() -> Set<Int32> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd")) ?? []).compactMap { Int32($0) })
        }
        // Awaited, not read once: posix_spawn returns at exec, and `sleep` then opens and
        // closes its libraries and locale files (a loaded run saw descriptor 3 mid-start). An
        // inherited descriptor stays for good, so without the safeguard the wait runs out.
        let settled = await ChildProcess.waitUntil(timeout: .seconds(30)) { descriptors() == [0, 1, 2] }
        let seen = descriptors()
        await child.terminate()
        #expect(settled, "only stdin, stdout and stderr: \(seen.sorted())")
    }

    @Test func aChildRunsInTheDirectoryAskedForWithTheEnvironmentGiven() throws {
        let directory = try TemporaryDirectory()
        let result = try runProcess("/bin/sh", ["-c", "pwd; echo \"$GREETING\"; echo problem >&2; exit 3"],
                                    environment: ["GREETING": "xin chào"], currentDirectory: directory.path)
        #expect(result.status == 3)
        #expect(result.stdout == "\(URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path)\nxin chào\n")
        #expect(result.stderr == "problem\n")
    }

    @Test func aChildStartsWithDefaultSignalsAndAnEmptyMask() async throws {
        // The caller ignores SIGPIPE (as the daemon's parts do); a child must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let directory = try TemporaryDirectory()
        let child = try Self.sleeper(in: directory)
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        await child.terminate()
        let masks = Dictionary(uniqueKeysWithValues: status.split(separator: "\n").filter { $0.hasPrefix("Sig") }.map { line in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], UInt64(parts[1], radix: 16) ?? .max)
        })
        #expect(masks["SigBlk"] == 0, "\(status)")
        #expect((masks["SigIgn"] ?? .max) & (1 << (UInt64(SIGPIPE) - 1)) == 0, "SIGPIPE is not ignored: \(status)")
    }

    @Test func aProgramThatCannotRunIsAnErrorThatNamesIt() {
        #expect(throws: HarnessError.self) { try runProcess("/nonexistent/interlinkd", []) }
    }

    @Test func aChildKilledBySignalReportsItNegated() async throws {
        let directory = try TemporaryDirectory()
        let child = try Self.sleeper(in: directory)
        child.signal(SIGKILL)
        #expect(await child.waitForExit(timeout: .seconds(30)) == -SIGKILL)
    }
}
