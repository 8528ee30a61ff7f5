import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import CSpawn
import Interlink

/// Where a child's standard stream goes.
public enum ChildStream: Sendable {
    /// `/dev/null`.
    case null
    /// A file, created or truncated.
    case file(String)
    /// A descriptor of the caller's (a pipe's end), duplicated onto the stream.
    case descriptor(Int32)
}

/// Every child of the tests and benchmarks starts here, with posix_spawn, not Foundation's
/// Process: Process.run() over-reads `/proc/self/fd` entries and crashed the whole test process
/// with SIGSEGV (once here; upstream saw one suite run in five to twenty: swift-corelibs-foundation
/// PR 5472, Swift 6.3.1);
/// it also never saw `runuser … pg_ctl restart` end, and its `waitUntilExit` polls a run loop
/// every 50 ms, half of what timing a 40 ms `interlinkctl` command measured.
///
/// `argv[0]` is a path (no PATH search). The child gets the streams asked for, no other
/// descriptor of the caller's (parallel tests hold many, and a pipe's write end left in another
/// child would keep its reader from seeing end of file), default signal dispositions and an
/// empty signal mask, and `directory` as its working directory when given.
public func spawnChild(_ argv: [String], environment: [String: String]? = nil, directory: String? = nil,
                       stdin: ChildStream = .null, stdout: ChildStream = .null, stderr: ChildStream = .null) throws(HarnessError) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (descriptor, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
        switch stream {
        case .null: posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, descriptor)
        }
    }
    posix_spawn_file_actions_addclosefrom_np(&actions, 3)
    if let directory { posix_spawn_file_actions_addchdir_np(&actions, directory) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigfillset(&signals)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var arguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in arguments { free(pointer) } }
    var variables = (environment?.map { strdup("\($0.key)=\($0.value)") } ?? []) + [nil]
    defer { for pointer in variables { free(pointer) } }
    var pid: pid_t = 0
    let result = environment == nil
        ? posix_spawn(&pid, argv[0], &actions, &attributes, &arguments, environ)
        : posix_spawn(&pid, argv[0], &actions, &attributes, &arguments, &variables)
    guard result == 0 else { throw HarnessError("cannot run \(argv[0]): \(String(cString: strerror(result)))") }
    return pid
}

/// Waits for child `pid` to end: its exit status, or minus the signal that ended it.
public func waitForChild(_ pid: Int32) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
}

/// A pipe whose ends are close-on-exec from the start, `[read, write]`: a child keeps only
/// the end duplicated onto one of its streams.
public func closeOnExecPipe() throws(HarnessError) -> [Int32] {
    var ends: [Int32] = [-1, -1]
    guard pipe2(&ends, O_CLOEXEC) == 0 else { throw HarnessError("pipe2: \(String(cString: strerror(errno)))") }
    return ends
}

/// What a child run to completion left: its exit status (negative for the signal that ended
/// it) and, when asked for, what it wrote to stdout and stderr.
public struct SpawnResult: Sendable {
    public let status: Int32
    public let output: [UInt8]
    public let errors: [UInt8]
}

/// Runs `argv` to completion with ``spawnChild(_:environment:directory:stdin:stdout:stderr:)``;
/// stdout and stderr are captured through pipes when asked for, else go to /dev/null.
public func spawnAndWait(_ argv: [String], environment: [String: String]? = nil, directory: String? = nil,
                         captureOutput: Bool = false, captureErrors: Bool = false) throws(HarnessError) -> SpawnResult {
    let outputPipe = captureOutput ? try closeOnExecPipe() : nil
    let errorPipe = captureErrors ? try closeOnExecPipe() : nil
    let pid: pid_t
    do {
        pid = try spawnChild(argv, environment: environment, directory: directory,
                             stdout: outputPipe.map { .descriptor($0[1]) } ?? .null, stderr: errorPipe.map { .descriptor($0[1]) } ?? .null)
    } catch {
        for ends in [outputPipe, errorPipe] { if let ends { close(ends[0]); close(ends[1]) } }
        throw error
    }
    for ends in [outputPipe, errorPipe] { if let ends { close(ends[1]) } }
    // Both pipes are read to the end before waiting, stderr on another thread, so a chatty
    // child never blocks on a full pipe.
    nonisolated(unsafe) var errors: [UInt8] = []
    let group = DispatchGroup()
    if let errorPipe {
        group.enter()
        DispatchQueue.global().async {
            errors = FileBytes.readToEnd(descriptor: errorPipe[0]) ?? []
            group.leave()
        }
    }
    let output = outputPipe.flatMap { FileBytes.readToEnd(descriptor: $0[0]) } ?? []
    group.wait()
    for ends in [outputPipe, errorPipe] { if let ends { close(ends[0]) } }
    return SpawnResult(status: waitForChild(pid), output: output, errors: errors)
}
