import Foundation
import InterlinkTestSupport
import Testing

/// The harness's one way to start a child (tests run in parallel, and every daemon and
/// simulator they start goes through it).
@Suite("Child processes: what a spawned child gets")
struct ChildSpawnTests {
    @Test func aChildGetsItsThreeStreamsAndNoOtherDescriptorOfTheCaller() throws {
        // A descriptor the test process holds without close-on-exec, as libcurl's sockets are.
        let held = open("/dev/null", O_RDONLY)
        defer { close(held) }
        #expect(held > 2)
        let result = try runProcess("/bin/sh", ["-c", "ls /proc/$$/fd"])
        #expect(result.status == 0, "\(result.stderr)")
        let descriptors = Set(result.stdout.split(separator: "\n").compactMap { Int32($0) })
        #expect(descriptors == [0, 1, 2], "only stdin, stdout and stderr: \(result.stdout)")
    }

    @Test func aChildRunsInTheDirectoryAskedForWithTheEnvironmentGiven() throws {
        let directory = try TemporaryDirectory()
        let result = try runProcess("/bin/sh", ["-c", "pwd; echo \"$GREETING\"; echo problem >&2; exit 3"],
                                    environment: ["GREETING": "xin chào"], currentDirectory: directory.path)
        #expect(result.status == 3)
        #expect(result.stdout == "\(URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path)\nxin chào\n")
        #expect(result.stderr == "problem\n")
    }

    @Test func aChildStartsWithDefaultSignalsAndAnEmptyMask() throws {
        // The caller ignores SIGPIPE (as the daemon's parts do); a child must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let result = try runProcess("/bin/sh", ["-c", "grep -E '^(SigBlk|SigIgn)' /proc/$$/status"])
        let masks = Dictionary(uniqueKeysWithValues: result.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], UInt64(parts[1], radix: 16) ?? .max)
        })
        #expect(masks["SigBlk"] == 0, "\(result.stdout)")
        #expect((masks["SigIgn"] ?? .max) & (1 << (UInt64(SIGPIPE) - 1)) == 0, "SIGPIPE is not ignored: \(result.stdout)")
    }

    @Test func aProgramThatCannotRunIsAnErrorThatNamesIt() {
        #expect(throws: HarnessError.self) { try runProcess("/nonexistent/interlinkd", []) }
    }

    @Test func aChildKilledBySignalReportsItNegated() async throws {
        let directory = try TemporaryDirectory()
        let child = try ChildProcess("/bin/sleep", ["600"], outputDirectory: directory.path, name: "sleeper")
        child.signal(SIGKILL)
        #expect(await child.waitForExit(timeout: .seconds(30)) == -SIGKILL)
    }
}
