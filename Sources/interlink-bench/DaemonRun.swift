import Foundation
import Interlink
import InterlinkSim
import InterlinkTestSupport

/// One `interlinkd --until-idle` run from an empty journal against a simulator, with what the
/// benchmarks report about it: rates, step latency, the daemon's peak RSS and CPU time.
struct DaemonRun {
    let dossiers: Int
    let requests: Int
    let seconds: Double
    /// From the dossier seen to the step completed: includes queueing behind the backlog.
    let latencies: (p50: Double, p99: Double)
    /// From the step's first attempt to its completion: the step itself, without the queue.
    let serviceTimes: (p50: Double, p99: Double)
    let peakRSSMB: Double
    /// The largest anonymous part of RSS seen (RssAnon, sampled): the daemon's own heap and
    /// stacks, without the shared libraries' pages that VmHWM also counts.
    let peakAnonMB: Double
    let cpuSeconds: Double
    /// The simulator's `/_sim/stats` after the run.
    let stats: JSONValue

    var dossiersPerSecond: Double { Double(dossiers) / seconds }
    var requestsPerSecond: Double { Double(requests) / seconds }
    /// The daemon's CPU time per dossier synced, in milliseconds (issue 18's target: 0.5).
    var cpuMsPerDossier: Double { cpuSeconds * 1_000 / Double(max(1, dossiers)) }
    static let cpuMsPerDossierTarget = 0.5

    static func measure(_ daemon: DaemonHarness, simulator: SimulatorProcess, dossiers: Int) async throws -> DaemonRun {
        let clock = ContinuousClock()
        let started = clock.now
        let process = try daemon.start(["--until-idle", "--idle-horizon", "2"], name: "bench-daemon")
        // Read the daemon's own peak RSS (VmHWM) and CPU ticks while it runs; the last reading wins.
        var peakKB = 0, peakAnonKB = 0
        var cpu = 0.0
        while process.exitStatus == nil, clock.now - started < .seconds(3_600) {
            if let reading = ProcessReading(pid: process.pid) {
                peakKB = max(peakKB, reading.peakRSSKB)
                peakAnonKB = max(peakAnonKB, reading.anonRSSKB)
                cpu = reading.cpuSeconds
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let status = await process.waitForExit(timeout: .seconds(10))
        let elapsed = clock.now - started
        guard status == 0 else { throw SimulatorError("interlinkd exited with \(status.map(String.init) ?? "a timeout"): \(process.stderr.suffix(2_000))") }
        let stats = try await simulator.stats()
        // Step latencies are read from a SQLite journal's file; a PostgreSQL run reports none.
        let sqlite = if case .sqlite = daemon.journalConfig.backend { true } else { false }
        return DaemonRun(dossiers: dossiers, requests: stats["requests"]?.objectValue?.values.compactMap(\.intValue).reduce(0, +) ?? 0,
                         seconds: ReliabilityScenarios.seconds(elapsed),
                         latencies: sqlite ? try percentiles(journalPath: daemon.journalPath, of: "t.updated_at - d.seen_at") : (0, 0),
                         serviceTimes: sqlite ? try percentiles(journalPath: daemon.journalPath, of: "t.updated_at - t.first_attempt_at") : (0, 0),
                         peakRSSMB: Double(peakKB) / 1_024, peakAnonMB: Double(peakAnonKB) / 1_024, cpuSeconds: cpu, stats: stats)
    }

    /// p50 and p99 of `expression` (milliseconds) over the completed steps.
    static func percentiles(journalPath: String, of expression: String) throws -> (p50: Double, p99: Double) {
        let connection = try SQLiteConnection(path: journalPath)
        let statement = try connection.prepare("""
            SELECT \(expression) FROM transfers t JOIN dossiers d ON d.code = t.dossier_code AND d.version = t.dossier_version
            WHERE t.state = 'completed' ORDER BY 1
            """)
        let values = try statement.rows([]) { Double($0.int64(0)) }
        guard !values.isEmpty else { return (0, 0) }
        return (values[values.count / 2], values[min(values.count - 1, values.count * 99 / 100)])
    }
}

/// One look at a running process in /proc: its peak resident set, its anonymous part now, and
/// CPU time so far.
struct ProcessReading {
    let peakRSSKB: Int
    let anonRSSKB: Int
    let cpuSeconds: Double

    init?(pid: Int32) {
        func kilobytes(_ field: String, in status: String) -> Int? {
            status.split(separator: "\n").first { $0.hasPrefix(field + ":") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
        }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let peak = kilobytes("VmHWM", in: status), let anon = kilobytes("RssAnon", in: status),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        peakRSSKB = peak
        anonRSSKB = anon
        cpuSeconds = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
