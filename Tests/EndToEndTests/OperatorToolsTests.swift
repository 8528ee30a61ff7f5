import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

/// `interlinkctl` against journals written by real daemon runs.
@Suite("End to end: operator tools", .serialized)
struct OperatorToolsTests {
    /// The account this test runs as, as the audit trail names it.
    static var actor: String { ActingUser.current(environment: [:]) }

    /// `interlinkctl` with `$USER` set to a name that is not the caller's: the audit trail must not believe it.
    static func ctl(_ arguments: [String], journal: String) throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "operator-anh"
        environment["SUDO_USER"] = nil
        environment["SUDO_UID"] = nil
        return try runProcess(Executables.path("interlinkctl"), arguments + ["--journal", journal], environment: environment)
    }

    @Test func everyCommandWorksOnARealJournalAndMasksPersonalData() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--decision-delay-ms", "100"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let journal = daemon.journalPath
        var outputs: [String] = []
        func run(_ arguments: [String], expect status: Int32 = 0) throws -> String {
            let output = try Self.ctl(arguments, journal: journal)
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            outputs.append(output.stdout + output.stderr)
            return output.stdout
        }

        let status = try run(["status"], expect: 1)  // the daemon has stopped: that is worth a 1
        #expect(status.contains("civil-registry") && status.contains("stopped"))
        let statusJSON = try JSONParser.parse(try run(["status", "--json"], expect: 1))
        #expect(statusJSON["agencies"]?["insurance"]?["circuit"] == "closed")
        #expect(statusJSON["dossiers"]?["completed"] == 9)
        #expect(statusJSON["register"]?["cursor"]?["afterCode"] != nil)

        #expect(try run(["dossiers", "--outcome", "needs-review"]).contains("H26.05-251120-0021"))
        #expect(try run(["dossiers", "--procedure", "1.011537", "--json"]).split(separator: "\n").count == 4)
        #expect(try run(["dossiers", "--since", "1h", "--limit", "3"]).split(separator: "\n").count == 4)

        let show = try run(["show", "H12.22-251120-0001"])
        #expect(show.contains("H12.22-251120-0001:v1:birth") && show.contains("Timeline") && show.contains("Write-back: sent"))
        let shown = try JSONParser.parse(try run(["show", "H26.05-251120-0021", "--json"]))
        #expect(shown["steps"]?.arrayValue?.count == 2)
        #expect(shown["reasons"]?["discrepancies"]?[0]?["check"] == "card-holder-name")

        #expect(try run(["log", "--dossier", "H52.38-251120-0009"]).contains("rejected by the agency"))
        #expect(try run(["log", "--agency", "land", "--level", "notice", "--json"]).split(separator: "\n").allSatisfy {
            (try? JSONParser.parse(String($0)))?["agency"] == "land"
        })
        #expect(try run(["log", "--since", "1h", "--until", "2030-01-01T00:00:00Z", "--limit", "5"]).split(separator: "\n").count == 5)
        #expect(try run(["log", "--since", "2030-01-01T00:00:00Z"]).isEmpty)

        let review = try run(["review"])
        #expect(review.contains("H26.05-251120-0021") && review.contains("2 dossier(s) need review"))
        #expect(try run(["audit", "verify"]).contains("audit chain ok"))

        let canaries = FixtureDossier.personalDataCanaries
        for output in outputs {
            for canary in canaries { #expect(!output.contains(canary), "\(canary) shown unmasked") }
        }

        // --reveal shows personal data, and is itself recorded with the acting user.
        let revealed = try run(["show", "H12.22-251120-0001", "--reveal", "all"])
        #expect(revealed.contains("Nguyễn Thị Mai"))
        let reveals = try run(["log", "--dossier", "H12.22-251120-0001", "--json"]).split(separator: "\n")
            .compactMap { try? JSONParser.parse(String($0)) }.filter { $0["kind"] == "reveal" }
        #expect(reveals.first?["detail"]?["user"]?.stringValue == Self.actor, "the kernel's account, not $USER")

        // Resolving a review lets the write-back proceed once the daemon runs again.
        #expect(try run(["review", "resolve", "H26.05-251120-0021", "--accept-agency", "--reason", "card name checked by phone"])
            .contains("resolved"))
        _ = try run(["review", "resolve", "H12.22-251120-0001", "--accept-agency", "--reason", "x"], expect: 1)
        #expect(try await daemon.runUntilIdle(name: "after-review").exitStatus == 0)
        #expect(try await sim.interconnections()["H26.05-251120-0021"]?["outcome"] == "completed")
        #expect(try run(["audit", "verify"]).contains("audit chain ok"))
        await sim.stop()
    }

    @Test func reportsUsageMissingJournalsAndBadConfigsWithTheirExitCodes() throws {
        let directory = try TemporaryDirectory()
        #expect(try Self.ctl(["status"], journal: directory.file("none.sqlite")).status == 66)
        #expect(try Self.ctl(["frobnicate"], journal: directory.file("none.sqlite")).status == 64)
        #expect(try Self.ctl(["log", "--level", "loud"], journal: directory.file("none.sqlite")).status == 64)
        #expect(try Self.ctl(["replay", "--dossier", "X"], journal: directory.file("none.sqlite")).status == 64)
        let badConfig = try directory.write("bad.json", "{not json")
        let output = try runProcess(Executables.path("interlinkctl"), ["status", "--config", badConfig])
        #expect(output.status == 78)
        for command in ["status", "dossiers", "show", "log", "replay", "review", "audit"] {
            let help = try runProcess(Executables.path("interlinkctl"), [command, "--help"])
            #expect(help.status == 0 && help.stdout.contains("Usage: interlinkctl \(command)"))
        }
    }

    @Test func replaysADeadChainOnceResumingAtTheFailedStep() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "12", "--seed", "3", "--fault", "insurance.error5xxRate=1"],
                                             in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["agencies", "insurance", "retry"], ["maxAttempts": 2, "initialDelayMs": 10, "maxDelayMs": 20, "maxAgeSeconds": 60])
            // Not a breaker test: keep the circuit closed so the chain dies quickly.
            config.set(["agencies", "insurance", "circuitBreaker"], ["failureThreshold": 1_000, "openSeconds": 1, "halfOpenProbes": 1])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        // Settled: insurance transfers dead, and nothing else anywhere still on its way.
        let died = await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let byAgency = (try? await journal.transferCounts())?.byAgency ?? [:]
            let moving = byAgency.values.reduce(0) { $0 + $1[.ready, default: 0] + $1[.sending, default: 0] + $1[.retrying, default: 0] + $1[.accepted, default: 0] }
            return (byAgency["insurance"]?[.dead] ?? 0) > 0 && moving == 0
        }
        #expect(died)
        let dead = try await journal.transfers(TransferQuery(states: [.dead], agency: "insurance"))
        let effectsBefore = try await sim.effects()
        try await sim.setFaults(["insurance": ["error5xxRate": 0]])

        let dryRun = try Self.ctl(["replay", "--agency", "insurance", "--state", "dead", "--dry-run"], journal: daemon.journalPath)
        #expect(dryRun.status == 0 && dryRun.stdout.contains("Would replay \(dead.count) transfer(s)"))
        #expect(try await journal.transfers(TransferQuery(states: [.dead], agency: "insurance")).count == dead.count)

        // The same replay twice at once: every transfer is sent once.
        async let first = Task.detached { try Self.ctl(["replay", "--agency", "insurance", "--state", "dead", "--reason", "BHXH back up"], journal: daemon.journalPath) }.value
        async let second = Task.detached { try Self.ctl(["replay", "--agency", "insurance", "--state", "dead", "--reason", "BHXH back up"], journal: daemon.journalPath) }.value
        let outputs = try await [first, second]
        let replayed = outputs.map { $0.stdout }.compactMap { text in
            text.split(separator: "\n").first { $0.hasPrefix("Replayed") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        #expect(replayed.reduce(0, +) == dead.count, "\(outputs.map(\.stdout))")

        // The running daemon picks them up and completes the chains.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await journal.transfers(TransferQuery(states: [.dead, .ready, .sending, .retrying], agency: "insurance")))?.isEmpty == true
        })
        let effects = try await sim.effects()
        let births = effects.filter { $0["operation"] == "births" || $0["operation"] == "deaths" }
        #expect(births.count == effectsBefore.filter { $0["operation"] == "births" || $0["operation"] == "deaths" }.count,
                "completed civil-status acts are never repeated")
        #expect(try await sim.stats()["repeatedEffects"] == 0)
        for transfer in dead {
            #expect(effects.filter { $0["dossierCode"]?.stringValue == transfer.dossierCode && $0["agency"] == "insurance" }.count == 1)
        }
        let replays = try await journal.events(EventQuery(limit: 100_000)).filter { $0.event.kind == .replay }
        #expect(replays.count == dead.count)
        #expect(replays.allSatisfy { $0.event.detail?["user"]?.stringValue == Self.actor && $0.event.detail?["reason"] == "BHXH back up" })
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    @Test func newKeyReplaysAreSentUnderAFreshAuditedKey() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "3", "--seed", "4", "--fault", "land.error5xxRate=1",
                                                         "--fault", "insurance.error5xxRate=1"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.setForAllAgencies(["retry"], ["maxAttempts": 1, "initialDelayMs": 10, "maxDelayMs": 20, "maxAgeSeconds": 60])
        }
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let journal = try daemon.journal()
        let dead = try #require(try await journal.transfers(TransferQuery(states: [.dead])).first)
        let output = try Self.ctl(["replay", String(dead.id), "--new-key", "--reason", "agency lost our request"], journal: daemon.journalPath)
        #expect(output.status == 0)
        let replayed = try #require(try await journal.transfer(id: dead.id))
        #expect(replayed.state == .ready && replayed.idempotencyKey == IdempotencyKeys.resend(dead.idempotencyKey, generation: 1))
        let event = try await journal.events(EventQuery(dossierCode: dead.dossierCode)).last { $0.event.kind == .replay }
        #expect(event?.event.message.contains("NEW idempotency key") == true)
        #expect(event?.event.detail?["previousIdempotencyKey"] == .string(dead.idempotencyKey))
        await journal.close()
        await sim.stop()
    }

    @Test(arguments: ["alter", "delete", "insert"])
    func auditVerifyDetectsTampering(tampering: String) async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "5"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        #expect(try Self.ctl(["audit", "verify"], journal: daemon.journalPath).status == 0)
        let connection = try SQLiteConnection(path: daemon.journalPath)
        switch tampering {
        case "alter": try connection.execute("UPDATE events SET message = 'nothing happened' WHERE seq = 7")
        case "delete": try connection.execute("DELETE FROM events WHERE seq = 7")
        default:
            try connection.execute("UPDATE events SET seq = seq + 1000 WHERE seq > 6")
            try connection.execute("UPDATE events SET seq = seq - 999 WHERE seq > 1000")
            try connection.execute("INSERT INTO events (seq, at, level, kind, message, hash) SELECT 7, at, level, kind, 'forged', hash FROM events WHERE seq = 6")
        }
        let output = try Self.ctl(["audit", "verify", "--json"], journal: daemon.journalPath)
        #expect(output.status == 1)
        #expect(try JSONParser.parse(output.stdout)["firstBrokenSequence"] == 7, "\(output.stdout)")
        await sim.stop()
    }

    @Test func servesMetricsThatPromtoolAcceptsAndHealthEndpoints() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--fault", "insurance.error5xxRate=0.3"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["metrics"], ["listen": "127.0.0.1:0"])
        }
        let process = try daemon.start()
        let url = try await DaemonHarness.metricsURL(of: process)
        let client = try HTTPClient()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            (try? await client.send(HTTPRequest(method: "GET", url: url)))
                .map { String(decoding: $0.body, as: UTF8.self).contains("interlink_request_duration_seconds_bucket") } ?? false
        })
        let metrics = try await client.send(HTTPRequest(method: "GET", url: url))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(metrics.status == 200)
        for name in ["interlink_requests_total", "interlink_retries_total", "interlink_transfers", "interlink_circuit_state",
                     "interlink_register_lag_seconds", "interlink_oldest_pending_seconds", "interlink_build_info", "interlink_instances"] {
            #expect(text.contains(name), "\(name) missing")
        }
        let journal = try daemon.journal()
        let instance = try #require(try await journal.instances().first?.id)
        await journal.close()
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples.allSatisfy { $0.contains("instance=\"\(instance)\"") }, "every sample names this daemon's instance")
        #expect(samples.contains { $0.hasPrefix("interlink_instances{") && $0.hasSuffix(" 1") })
        #expect(samples.contains { $0.hasPrefix("interlink_lease_held{") && $0.contains("register-poll") && $0.hasSuffix(" 1") })
        let exposition = try directory.write("metrics.txt", text)
        let promtool = try runProcess("/bin/sh", ["-c", "promtool check metrics < \(exposition)"])
        #expect(promtool.status == 0, "\(promtool.stdout)\(promtool.stderr)")
        let base = String(url.dropLast("/metrics".count))
        #expect(try await client.send(HTTPRequest(method: "GET", url: base + "/healthz")).status == 200)
        #expect(try await client.send(HTTPRequest(method: "GET", url: base + "/readyz")).status == 200)
        client.shutdown()
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await sim.stop()
    }

    @Test func logFollowStreamsNewEvents() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "2"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory)
        #expect(try await daemon.runUntilIdle().exitStatus == 0)
        let follower = try ChildProcess(Executables.path("interlinkctl"), ["log", "--follow", "--journal", daemon.journalPath],
                                        outputDirectory: directory.path, name: "follow")
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) { follower.stdout.contains("write-back") })
        var batch = JournalBatch()
        batch.events = [NewEvent(level: .notice, kind: .daemon, message: "a marker for the follower")]
        let journal = try daemon.journal()
        try await journal.apply(batch)
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) { follower.stdout.contains("a marker for the follower") })
        #expect(follower.exitStatus == nil)
        await follower.terminate()
        await journal.close()
        await sim.stop()
    }
}
