import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// An outage is one incident, opened and closed once, with the dossiers it held up.
@Suite("End to end: incidents", .serialized)
struct IncidentTests {
    @Test func anAgencyOutageIsOneIncidentWithTheDossiersItHeldUp() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "30", "--seed", "4", "--fault", "insurance.down=true"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            config.set(["agencies", "insurance", "circuitBreaker"], ["failureThreshold": 3, "openSeconds": 1, "halfOpenProbes": 1])
            config.set(["agencies", "insurance", "retry"], ["maxAttempts": 1_000, "initialDelayMs": 10, "maxDelayMs": 200, "maxAgeSeconds": 3_600])
            config.set(["agencies", "insurance", "timeouts"], ["connectMs": 300, "requestMs": 600])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        // Down until every dossier's insurance step waits for it and a few probes have failed.
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let counts = (try? await journal.transferCounts())?.byAgency ?? [:]
            let others = ["civil-registry", "land"].allSatisfy { agency in
                let states = counts[agency] ?? [:]
                return states[.ready, default: 0] + states[.sending, default: 0] + states[.retrying, default: 0] + states[.accepted, default: 0] == 0
            }
            let open = (try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)) ?? []
            return others && open.first?.attempts ?? 0 >= 3
        })
        // A step still waiting (its birth registration was rejected) was never held up by insurance.
        let heldUp = Set(try await journal.transfers(TransferQuery(states: [.ready, .sending, .retrying], agency: "insurance", limit: 10_000)).map(\.dossierCode))
        #expect(heldUp.count > 5)
        let open = try await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)
        #expect(open.count == 1 && open.first?.service == "insurance" && open.first?.kind == .circuitOpen, "\(open)")
        let listed = try runProcess(Executables.path("interlinkctl"), ["incidents", "--open", "--journal", daemon.journalPath])
        #expect(listed.status == 1 && listed.stdout.contains("circuit-open") && listed.stdout.contains("insurance"))

        try await sim.setFaults(["insurance": ["down": false]])
        #expect(await sim.allSettled(in: journal, timeout: .seconds(60), workers: [process]))
        let incidents = try await journal.incidents(openOnly: false, dossierCode: nil, limit: 10)
        #expect(incidents.count == 1, "one incident for the whole outage: \(incidents)")
        let incident = try #require(incidents.first)
        #expect(incident.closedAt != nil && incident.attempts >= 3 && incident.firstError != nil)
        #expect(incident.dossiers == heldUp.count, "every dossier whose insurance step waited: \(incident.dossiers) of \(heldUp.count)")
        let events = try await journal.events(EventQuery(limit: 100_000)).filter { $0.event.kind == .incident }.map(\.event.message)
        #expect(events.count == 2 && events[0].contains("opened") && events[1].contains("closed"), "\(events)")
        let code = try #require(heldUp.sorted().first)
        let show = try runProcess(Executables.path("interlinkctl"), ["show", code, "--journal", daemon.journalPath])
        #expect(show.stdout.contains("Held up by incidents") && show.stdout.contains("#\(incident.id) circuit-open at insurance"), "\(show.stdout.suffix(800))")
        #expect(try await sim.stats()["repeatedEffects"]?.intValue == 0)
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    @Test func aRunOfDeadTransfersIsOneIncidentUntilOneGetsThrough() async throws {
        let directory = try TemporaryDirectory()
        let sim = try await SimulatorProcess(arguments: ["--no-fixtures", "--dossiers", "20", "--seed", "4", "--fault", "insurance.error5xxRate=1"], in: directory)
        let daemon = try DaemonHarness(simulator: sim, directory: directory) { config in
            // Each transfer gives up after two tries; the circuit (at 50 failures) stays out of it.
            config.set(["agencies", "insurance", "retry"], ["maxAttempts": 2, "initialDelayMs": 10, "maxDelayMs": 20, "maxAgeSeconds": 3_600])
            config.set(["agencies", "insurance", "circuitBreaker"], ["failureThreshold": 50, "openSeconds": 1, "halfOpenProbes": 1])
        }
        let process = try daemon.start()
        let journal = try daemon.journal()
        #expect(await ChildProcess.waitUntil(timeout: .seconds(60)) {
            let dead = (try? await journal.transferCounts())?.byAgency["insurance"]?[.dead] ?? 0
            let open = (try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)) ?? []
            return dead >= 5 && open.first?.attempts ?? 0 >= 3
        })
        let open = try await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)
        #expect(open.count == 1 && open.first?.kind == .deadTransfers && open.first?.service == "insurance", "\(open)")
        #expect(open.first?.firstError?.contains("3 transfers dead in a row") == true)

        try await sim.setFaults(["insurance": ["error5xxRate": 0.0]])
        let replay = try runProcess(Executables.path("interlinkctl"), ["replay", "--agency", "insurance", "--state", "dead", "--reason", "insurance fixed",
                                                                      "--journal", daemon.journalPath])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(await ChildProcess.waitUntil(timeout: .seconds(90)) {
            ((try? await journal.incidents(openOnly: true, dossierCode: nil, limit: 10)) ?? [Self.placeholder]).isEmpty
        }, "the first transfer that gets through closes it")
        let all = try await journal.incidents(openOnly: false, dossierCode: nil, limit: 10)
        #expect(all.count == 1 && all.first?.attempts ?? 0 >= 3 && all.first?.dossiers ?? 0 >= 3, "\(all)")
        process.signal(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(30)) == 0)
        await journal.close()
        await sim.stop()
    }

    static let placeholder = IncidentRecord(id: 0, service: "", kind: .stalledQueue, openedAt: .now(), closedAt: nil, attempts: 0, dossiers: 0,
                                            firstError: nil, lastError: nil)
}
