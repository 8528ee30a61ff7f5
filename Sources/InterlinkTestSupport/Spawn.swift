import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Interlink

/// What a child run to completion left: its exit status (negative for the signal that ended
/// it) and, when asked for, what it wrote to stdout and stderr.
public struct SpawnResult: Sendable {
    public let status: Int32
    public let output: [UInt8]
    public let errors: [UInt8]
}

/// Runs `argv` with posix_spawn and waits for it with waitpid; stdin is /dev/null, and stdout
/// and stderr are captured through pipes when asked for, else go to /dev/null.
///
/// For the benchmarks, not Foundation's Process: it never saw `runuser … pg_ctl restart` end
/// (a zombie), and its `waitUntilExit` polls a run loop every 50 ms, which was half of what
/// timing a 40 ms `interlinkctl` command measured. The children inherit the caller's
/// descriptors that are not close-on-exec, so it is not for the parallel tests.
public func spawnAndWait(_ argv: [String], environment: [String: String]? = nil,
                         captureOutput: Bool = false, captureErrors: Bool = false) -> SpawnResult {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Close-on-exec pipes: the child keeps only the ends dup2'd onto 1 and 2, so a read
    // sees end of file when the child exits.
    func makePipe() -> [Int32]? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }
    let outputPipe = captureOutput ? makePipe() : nil
    let errorPipe = captureErrors ? makePipe() : nil
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    for (descriptor, ends) in [(Int32(1), outputPipe), (Int32(2), errorPipe)] {
        if let ends { posix_spawn_file_actions_adddup2(&actions, ends[1], descriptor) } else {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
        }
    }
    var arguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in arguments { free(pointer) } }
    var variables = (environment?.map { strdup("\($0.key)=\($0.value)") } ?? []) + [nil]
    defer { for pointer in variables { free(pointer) } }
    var pid: pid_t = 0
    let spawned = environment == nil
        ? posix_spawn(&pid, argv[0], &actions, nil, &arguments, environ) == 0
        : posix_spawn(&pid, argv[0], &actions, nil, &arguments, &variables) == 0
    for ends in [outputPipe, errorPipe] { if let ends { close(ends[1]) } }
    // Both pipes are read to the end before waiting, stderr on another thread, so a chatty
    // child never blocks on a full pipe.
    nonisolated(unsafe) var errors: [UInt8] = []
    let group = DispatchGroup()
    if let errorPipe, spawned {
        group.enter()
        DispatchQueue.global().async {
            errors = FileBytes.readToEnd(descriptor: errorPipe[0]) ?? []
            group.leave()
        }
    }
    let output = outputPipe.flatMap { spawned ? FileBytes.readToEnd(descriptor: $0[0]) : nil } ?? []
    group.wait()
    for ends in [outputPipe, errorPipe] { if let ends { close(ends[0]) } }
    guard spawned else { return SpawnResult(status: -1, output: [], errors: Array("cannot run \(argv[0])".utf8)) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return SpawnResult(status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f), output: output, errors: errors)
}
