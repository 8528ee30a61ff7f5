import Interlink

/// `interlinkctl sweep`: the daemon's drift sweep, on demand.
enum SweepCommand: CtlCommand {
    static let name = "sweep"
    static let summary = "compare the whole register with the journal, now"
    static let help = """
        Usage: interlinkctl sweep --config PATH [--dry-run] [--json]

        Runs the drift sweep the daemon runs every register.sweep.intervalSeconds: a full pass over the
        register, page by page. It finds dossier versions the journal lacks (committed later than
        polling's look-back reaches) and interconnection records that differ from the journal's last
        verified write-back (changed at the register, or lost by a restored register). Without
        --dry-run it stores the versions (the daemon plans them at its next poll) and queues those
        write-backs again under a fresh key; each finding is an event. With --dry-run it only prints
        what it found. Needs --config, for the register's address and credentials.
        Exits 0 when nothing was found, 1 when something was (and, without --dry-run, mended), 69 when
        the register could not be read to its end.

        Examples:
          interlinkctl sweep --config /etc/interlink/interlink.json --dry-run
          interlinkctl sweep --config /etc/interlink/interlink.json
        """

    static let flags: Set<String> = ["dry-run"]
    static let options: Set<String> = []

    static func run(_ context: Context) async throws -> Int32 {
        guard let path = context.options.value("config") else { throw UsageError("--config PATH names the register to sweep") }
        let config: InterlinkConfig
        do {
            config = try InterlinkConfig.load(path: path, environment: context.environment)
        } catch {
            throw CommandFailure(status: Exit.config, message: "\(error)")
        }
        let journal = try context.openJournal()
        let http = try HTTPClient(maxConnections: max(2, config.register.endpoint.maxConcurrent))
        defer { http.shutdown() }
        let dryRun = context.options.has("dry-run")
        let report: DriftSweep.Report
        do {
            report = try await DriftSweep(settings: config.register, http: http, journal: journal).run(apply: !dryRun)
        } catch {
            throw CommandFailure(status: Exit.unavailable, message: "the sweep stopped: \(error.description)")
        }
        if context.json {
            context.printJSON(["dryRun": .bool(dryRun), "dossiers": .number(Double(report.dossiers)),
                               "late": .array(report.late.map { ["dossier": .string($0.code), "version": .number(Double($0.version)),
                                                                 "updatedAt": .string($0.updatedAt)] }),
                               "differingRecords": .array(report.drifted.map { ["dossier": .string($0.writeBack.dossierCode), "why": .string($0.why)] })])
        } else {
            context.print("Swept \(report.dossiers) dossier entries" + (dryRun ? " (dry run: nothing was changed)" : ""))
            for snapshot in report.late {
                context.print("late: \(snapshot.code) version \(snapshot.version), updated \(snapshot.updatedAt)" + (dryRun ? "" : "; stored, the daemon plans it"))
            }
            for (writeBack, why) in report.drifted {
                context.print("differs: \(writeBack.dossierCode): \(why)" + (dryRun ? "" : "; written back again under a fresh key"))
            }
            if report.late.isEmpty && report.drifted.isEmpty { context.print("The register and the journal agree.") }
        }
        return report.late.isEmpty && report.drifted.isEmpty ? Exit.ok : Exit.problems
    }
}
