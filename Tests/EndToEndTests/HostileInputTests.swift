import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Inputs that once crashed, hung or injected: absurd time arguments, a FIFO where a file
/// belongs, a secret with a line break inside, and a journal the operator may only read.
@Suite("End to end: hostile inputs")
struct HostileInputTests {
    @Test func absurdTimeArgumentsAreUsageErrorsNotCrashes() throws {
        let directory = try TemporaryDirectory()
        let journal = directory.file("journal.sqlite")
        _ = try JournalFactory.open(.sqlite(path: journal))
        let ctl = Executables.path("interlinkctl")
        for arguments in [["log", "--since", "9999999999999d"], ["log", "--until", "9223372036854775807s"], ["dossiers", "--since", "99999999999h"],
                          ["replay", "--writebacks", "--state", "dead", "--since", "9999999999999d", "--dry-run"],
                          ["purge", "--older-than", "9999999999999d", "--dry-run"]] {
            let run = try runProcess(ctl, arguments + ["--journal", journal])
            #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("at most 36500d"), "\(arguments): \(run.stderr)")
        }
    }

    /// Options every command takes may come before the command, as with other tools.
    @Test func globalOptionsMayComeBeforeTheCommand() throws {
        let directory = try TemporaryDirectory()
        let journal = directory.file("journal.sqlite")
        _ = try JournalFactory.open(.sqlite(path: journal))
        let ctl = Executables.path("interlinkctl")
        let before = try runProcess(ctl, ["--journal", journal, "--json", "dossiers"])
        let after = try runProcess(ctl, ["dossiers", "--journal", journal, "--json"])
        #expect(before.status == 0 && before.stdout == after.stdout, "\(before.stderr)")
        #expect(try runProcess(ctl, ["--journal=" + journal, "log", "--since", "yesterday"]).status == 0)
    }

    @Test func aFIFOWhereAFileBelongsIsRefusedWithItsPathNotWaitedOn() async throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        let check = try ChildProcess(Executables.path("interlinkd"), ["--check-config", "--config", fifo], outputDirectory: directory.path, name: "fifo-config")
        #expect(await check.waitForExit(timeout: .seconds(20)) == 78, "a FIFO config must not hang the daemon")
        #expect(check.stderr.contains("FIFO"))

        let config = try Self.config(in: directory, token: nil, tokenPath: fifo)
        let secret = try ChildProcess(Executables.path("interlinkd"), ["--check-config", "--config", config], outputDirectory: directory.path, name: "fifo-secret")
        #expect(await secret.waitForExit(timeout: .seconds(20)) == 78)
        #expect(secret.stderr.contains("/register/auth/tokenFile") && secret.stderr.contains("FIFO"), "\(secret.stderr)")
    }

    @Test func aSecretWithALineBreakInsideIsRefusedAndOneAtTheEndIsNot() throws {
        let directory = try TemporaryDirectory()
        let injected = try runProcess(Executables.path("interlinkd"), ["--check-config", "--config",
                                                                       try Self.config(in: directory, token: "t0ken\r\nX-Injected: yes\n")])
        #expect(injected.status == 78)
        #expect(injected.stderr.contains("/register/auth/tokenFile") && injected.stderr.contains("control character"), "\(injected.stderr)")
        #expect(!injected.stderr.contains("t0ken"), "the secret itself is never printed")
        let fine = try runProcess(Executables.path("interlinkd"), ["--check-config", "--config", try Self.config(in: directory, token: "t0ken\n")])
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    /// On reload too: a token rewritten with a header line inside is refused, and the daemon
    /// keeps syncing on the previous configuration, sending no injected header.
    @Test func aReloadWithALineBreakInASecretIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures"], in: directory)
        let token = directory.file("register.token")
        try "demo-register-token\n".write(toFile: token, atomically: true, encoding: .utf8)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["register", "auth"], ["type": "bearer", "tokenFile": .string(token)])
        }
        let process = try daemon.start()
        #expect(await process.waitForLog("sync started"))
        try "demo-register-token\r\nX-Injected: yes\n".write(toFile: token, atomically: true, encoding: .utf8)
        process.signal(SIGHUP)
        #expect(await process.waitForLog("reload refused"))
        #expect(process.stderr.contains("/register/auth/tokenFile") && process.stderr.contains("control character"))
        #expect(process.exitStatus == nil)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        #expect(try await sim.stats()["unauthorized"]?["register"] == nil, "the old token kept working; nothing injected reached the register")
        await sim.stop()
    }

    /// An operator with read access only (here `nobody`, on a copy in a directory it cannot
    /// write) reads status, the log, dossiers, reviews and the audit chain.
    @Test func readingToolsWorkOnAJournalTheOperatorCannotWrite() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "5"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        await sim.stop()
        let readOnly = directory.file("read-only")
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: daemon.journalPath, toPath: readOnly + "/journal.sqlite")
        chmod(readOnly + "/journal.sqlite", 0o644)
        chmod(readOnly, 0o755)
        chmod(directory.path, 0o755)
        let code = try #require(try await daemon.journal().dossiers(outcome: nil, procedure: nil, since: nil, limit: 1).first?.snapshot.code)
        for command in [["status"], ["log", "--limit", "5"], ["dossiers"], ["review"], ["audit", "verify"], ["show", code]] {
            // setpriv drops to nobody, so root's permission to write anything does not hide the problem.
            let run = try runProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Executables.path("interlinkctl")]
                                     + command + ["--journal", readOnly + "/journal.sqlite"])
            #expect(run.status == 0 || (command == ["status"] && run.status == 1), "\(command): \(run.status) \(run.stderr)")
            #expect(!run.stderr.contains("readonly database"), "\(command): \(run.stderr)")
        }
    }

    /// A config whose register token is `token` (written to a file) or read from `tokenPath`.
    static func config(in directory: TemporaryDirectory, token: String?, tokenPath: String? = nil) throws -> String {
        guard case .object(var root) = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: Executables.packageRoot + "/Config/demo.json"))) else {
            throw HarnessError("demo.json is not an object")
        }
        let file = try tokenPath ?? directory.write("register.token", token ?? "")
        root.set(["register", "auth"], ["type": "bearer", "tokenFile": .string(file)])
        for name in ["civil-registry", "land", "insurance"] {
            root.set(["agencies", name, "auth"], ["type": "bearer", "tokenFile": .string(Executables.packageRoot + "/Config/demo-credentials/\(name).token")])
        }
        root.set(["journal"], ["path": .string(directory.file("journal.sqlite"))])
        return try directory.write("interlink.json", JSONWriter.string(.object(root)))
    }
}
