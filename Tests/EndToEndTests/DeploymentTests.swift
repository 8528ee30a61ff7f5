import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("Deployment: systemd unit, install, manual pages, runtime assumptions", .serialized)
struct DeploymentTests {
    static let root = Executables.packageRoot

    @Test func theUnitIsHardenedBelowExposureTwo() throws {
        let output = try runProcess("/usr/bin/systemd-analyze", ["security", "--offline=yes", "--threshold=19", Self.root + "/systemd/interlinkd.service"])
        #expect(output.status == 0, "\(output.stdout.suffix(1_500))")
        #expect(output.stdout.contains("Overall exposure level for interlinkd.service"))
    }

    @Test func installsTheTreeVerifiesTheUnitAndUninstalls() throws {
        let destination = try TemporaryDirectory()
        func make(_ target: String) throws -> ProcessOutput {
            try runProcess("/usr/bin/make", ["-C", Self.root, target, "DESTDIR=\(destination.path)", "BUILT=\(Executables.buildDirectory)"])
        }
        let install = try make("install-files")
        #expect(install.status == 0, "\(install.stderr)")
        let files = ["usr/local/bin/interlinkd", "usr/local/bin/interlinkctl", "usr/local/lib/systemd/system/interlinkd.service",
                     "usr/local/lib/tmpfiles.d/interlink.conf", "usr/local/share/man/man8/interlinkd.8",
                     "usr/local/share/man/man8/interlinkctl.8", "usr/local/share/interlink/calendar-vn.json",
                     "usr/local/share/interlink/monitoring/interlink-alerts.yml", "usr/local/lib/systemd/catalog/interlink.catalog",
                     "etc/interlink/interlink.json"]
        for file in files { #expect(FileManager.default.fileExists(atPath: destination.file(file)), "\(file) not installed") }
        let credentials = try FileManager.default.attributesOfItem(atPath: destination.file("etc/interlink/credentials"))
        #expect((credentials[.posixPermissions] as? Int) == 0o700)
        #expect(FileManager.default.isExecutableFile(atPath: destination.file("usr/local/bin/interlinkd")))

        // A second install keeps the administrator's config.
        try "{\"edited\": true}".write(toFile: destination.file("etc/interlink/interlink.json"), atomically: true, encoding: .utf8)
        #expect(try make("install-files").stdout.contains("kept the existing"))
        #expect(try String(contentsOfFile: destination.file("etc/interlink/interlink.json"), encoding: .utf8).contains("edited"))

        // systemd-analyze verify with the paths as installed (inside DESTDIR).
        let unit = try String(contentsOfFile: destination.file("usr/local/lib/systemd/system/interlinkd.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/interlinkd"))
        let staged = try destination.write("verify/interlinkd.service",
                                           unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/", with: "ExecStart=\(destination.path)/usr/local/bin/"))
        var environment = ProcessInfo.processInfo.environment
        environment["MANPATH"] = destination.file("usr/local/share/man")
        let verify = try runProcess("/usr/bin/systemd-analyze", ["verify", staged], environment: environment)
        #expect(verify.status == 0, "\(verify.stderr)")

        let uninstall = try make("uninstall")
        #expect(uninstall.status == 0)
        for file in files.dropLast() { #expect(!FileManager.default.fileExists(atPath: destination.file(file)), "\(file) left behind") }
        #expect(FileManager.default.fileExists(atPath: destination.file("etc/interlink/interlink.json")))
    }

    /// Every `--option` a binary's help mentions, for checking the manual pages.
    static func options(in help: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "--[a-z][a-z-]*")
        return Set(pattern.matches(in: help, range: NSRange(help.startIndex..., in: help)).map { String(help[Range($0.range, in: help)!]) })
    }

    @Test func theManualPagesDocumentEveryOptionAndRenderCleanly() throws {
        let daemonHelp = try runProcess(Executables.path("interlinkd"), ["--help"]).stdout
        var ctlHelp = try runProcess(Executables.path("interlinkctl"), ["--help"]).stdout
        for command in ["status", "dossiers", "show", "log", "replay", "review", "audit", "purge", "migrate-journal", "deadline", "overdue", "incidents"] {
            ctlHelp += try runProcess(Executables.path("interlinkctl"), [command, "--help"]).stdout
        }
        for (page, help) in [("interlinkd.8", daemonHelp), ("interlinkctl.8", ctlHelp)] {
            let roff = try String(contentsOfFile: Self.root + "/systemd/" + page, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
            let options = Self.options(in: help)
            #expect(options.count > 5)
            for option in options { #expect(roff.contains(option), "\(page) does not document \(option)") }
            var environment = ProcessInfo.processInfo.environment
            environment["MANWIDTH"] = "80"
            let rendered = try runProcess("/usr/bin/man", ["--warnings", "-l", Self.root + "/systemd/" + page], environment: environment)
            #expect(rendered.status == 0 && rendered.stderr.isEmpty, "\(page): \(rendered.stderr)")
            #expect(rendered.stdout.contains("EXIT STATUS"))
        }
    }

    /// Lays out what systemd would: configuration, credentials and state directories, owned by
    /// the service user (`nobody` here), and a config that names secrets relatively.
    struct SystemdLayout {
        let base: TemporaryDirectory
        let configuration: String
        let credentials: String
        let state: String
        let workingDirectory: String
        let tokens: [String: String]

        init(simulator: SimulatorProcess, tokens: [String: String]) throws {
            base = try TemporaryDirectory()
            configuration = base.file("etc")
            credentials = base.file("credentials")
            state = base.file("state")
            workingDirectory = base.file("cwd")
            self.tokens = tokens
            for directory in [configuration, credentials, state, workingDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let harness = try DaemonHarness(simulator: simulator, directory: base)
            var config = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: harness.configPath))).objectValue ?? [:]
            config["journal"] = nil
            config.set(["register", "auth", "tokenFile"], "register.token")
            for name in ["civil-registry", "land", "insurance"] { config.set(["agencies", name, "auth", "tokenFile"], .string("\(name).token")) }
            try JSONWriter.string(.object(config)).write(toFile: configuration + "/interlink.json", atomically: true, encoding: .utf8)
            for (service, token) in tokens {
                try token.write(toFile: credentials + "/\(service).token", atomically: true, encoding: .utf8)
            }
            // Service user: nobody. State writable by it, everything else read-only to it.
            for path in [base.path, configuration, credentials, state] { chmod(path, 0o755) }
            chown(state, 65_534, 65_534)
            chmod(state, 0o700)
            for service in tokens.keys { chown(credentials + "/\(service).token", 65_534, 65_534); chmod(credentials + "/\(service).token", 0o400) }
            chmod(configuration + "/interlink.json", 0o644)
            chmod(workingDirectory, 0o555)
        }

        /// What systemd sets, and nothing else: no HOME, no secrets.
        var environment: [String: String] {
            ["PATH": "/usr/bin:/bin", "STATE_DIRECTORY": state, "CONFIGURATION_DIRECTORY": configuration, "CREDENTIALS_DIRECTORY": credentials]
        }

        func startDaemon(_ arguments: [String]) throws -> ChildProcess {
            try ChildProcess("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                                  "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory, Executables.path("interlinkd")] + arguments,
                             environment: environment, outputDirectory: base.path, name: "daemon")
        }
    }

    static func freshTokens(in directory: TemporaryDirectory) throws -> [String: String] {
        var tokens: [String: String] = [:]
        for service in SimulatedWorld.services {
            tokens[service] = "secret-\(service)-\(UUID().uuidString)"
            try tokens[service]!.write(toFile: directory.file("\(service).token"), atomically: true, encoding: .utf8)
        }
        return tokens
    }

    @Test func findsConfigJournalAndSecretsThroughSystemdAndWritesOnlyItsState() async throws {
        let simDirectory = try TemporaryDirectory()
        let tokens = try Self.freshTokens(in: simDirectory)
        let sim = try await SimulatorProcess(arguments: ["--token-dir", simDirectory.path], in: simDirectory)
        let layout = try SystemdLayout(simulator: sim, tokens: tokens)
        let before = Set(try FileManager.default.subpathsOfDirectory(atPath: layout.base.path)).filter { !$0.hasPrefix("state") }
        let daemon = try layout.startDaemon(["--until-idle", "--idle-horizon", "5"])
        let status = await daemon.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(daemon.stderr.suffix(2_000))")
        #expect(FileManager.default.fileExists(atPath: layout.state + "/journal.sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: layout.workingDirectory).isEmpty)
        let after = Set(try FileManager.default.subpathsOfDirectory(atPath: layout.base.path)).filter { !$0.hasPrefix("state") }
        // Only the harness's own output files appear outside the state directory.
        #expect(after.subtracting(before).subtracting(["daemon.stdout", "daemon.stderr"]).isEmpty, "\(after.subtracting(before))")
        #expect(try await sim.interconnections()["H12.22-251120-0001"]?["outcome"] == "completed")
        await sim.stop()
    }

    @Test func secretsNeverAppearInTheEnvironmentCommandLineOrLog() async throws {
        let simDirectory = try TemporaryDirectory()
        let tokens = try Self.freshTokens(in: simDirectory)
        let sim = try await SimulatorProcess(arguments: ["--token-dir", simDirectory.path], in: simDirectory)
        let layout = try SystemdLayout(simulator: sim, tokens: tokens)
        var config = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: layout.configuration + "/interlink.json"))).objectValue ?? [:]
        config.set(["log", "level"], "debug")
        try JSONWriter.string(.object(config)).write(toFile: layout.configuration + "/interlink.json", atomically: true, encoding: .utf8)
        let daemon = try layout.startDaemon([])
        #expect(await daemon.waitForLog("→ completed"))
        // setpriv and sh exec into interlinkd, so the child's pid is the daemon's.
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(daemon.pid)/environ"))) ?? Data()
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(daemon.pid)/cmdline"))) ?? Data()
        #expect(String(decoding: cmdline, as: UTF8.self).contains("interlinkd"))
        #expect(!environ.isEmpty)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: .seconds(30)) == 0)
        for token in tokens.values {
            #expect(!String(decoding: environ, as: UTF8.self).contains(token))
            #expect(!String(decoding: cmdline, as: UTF8.self).contains(token))
            #expect(!daemon.stderr.contains(token))
        }
        #expect(daemon.stderr.contains("\"level\":\"debug\""))
        await sim.stop()
    }
}
