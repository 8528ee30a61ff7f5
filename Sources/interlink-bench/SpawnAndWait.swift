#if canImport(Glibc)
import Glibc
#endif
import Interlink

/// Runs `argv` with stdin and stdout on /dev/null and waits for it with waitpid; returns its
/// exit status (negative for the signal that ended it) and what it wrote to stderr when
/// `captureErrors`, else stderr goes to /dev/null too. Foundation's Process is not used:
/// it never saw `runuser … pg_ctl restart` end (it stayed a zombie), and its
/// `waitUntilExit` polls a run loop every 50 ms, which was half of what timing a 40 ms
/// `interlinkctl` command measured.
func spawnAndWait(_ argv: [String], captureErrors: Bool = false) -> (status: Int32, errors: [UInt8]) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var errorPipe: [Int32] = [-1, -1]
    if captureErrors {
        // Close-on-exec, so the child keeps only its dup2'd stderr and the read sees the end.
        guard pipe(&errorPipe) == 0 else { return (-1, []) }
        for descriptor in errorPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    }
    for descriptor: Int32 in [0, 1, 2] where !(captureErrors && descriptor == 2) {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    if captureErrors { posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2) }
    var pointers = argv.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, &pointers, environ) == 0
    var errors: [UInt8] = []
    if captureErrors {
        close(errorPipe[1])
        if spawned { errors = FileBytes.readToEnd(descriptor: errorPipe[0]) ?? [] }
        close(errorPipe[0])
    }
    guard spawned else { return (-1, errors) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f), errors)
}
