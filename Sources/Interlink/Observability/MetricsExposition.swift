/// Renders the daemon's metrics in the Prometheus text exposition format (version 0.0.4).
public enum MetricsExposition: Sendable {
    /// What the register's breaker knows: whether it answers, when it last did, and how many
    /// requests failed in a row.
    public struct RegisterGauge: Sendable {
        /// Whether it answers (its breaker lets every request through).
        public var up = true
        /// When it last answered.
        public var lastSuccess: Timestamp?
        /// Requests that failed in a row.
        public var consecutiveFailures = 0

        /// A register that answers, not yet asked.
        public init(up: Bool = true, lastSuccess: Timestamp? = nil, consecutiveFailures: Int = 0) {
            self.up = up
            self.lastSuccess = lastSuccess
            self.consecutiveFailures = consecutiveFailures
        }
    }

    /// What a scrape reads from the journal and the engine.
    public struct Gauges: Sendable {
        /// Transfers by agency and state, and each agency's oldest pending one.
        public var transfers: TransferCounts
        /// Dossiers by the outcome of their newest version.
        public var dossiers: [DossierOutcome: Int]
        /// The `updatedSince` time of the register cursor; nil before the first page, reported as no lag.
        public var registerCursor: Timestamp?
        /// Each agency's circuit breaker state.
        public var circuits: [String: CircuitBreaker.State]
        /// Daemons sharing the journal whose heartbeat is fresh, this one included.
        public var liveInstances: Int
        /// Each lease there is, and whether this daemon holds it.
        public var leases: [String: Bool]
        /// The scrape time that ages and lags are measured to.
        public var now: Timestamp
        /// The register's health as polls and write-backs find it.
        public var register = RegisterGauge()
        /// Write-backs by state, and the oldest still waiting.
        public var writeBacks = WriteBackCounts()
        /// The audit chain's tip, anchored elsewhere by whoever scrapes it.
        public var auditTip = AuditChain.Link.origin
        /// Dossiers overdue and nearly due, by route and the agency holding them.
        public var deadlines = DeadlineGauges()
        /// Incidents open now, for every daemon on the journal.
        public var openIncidents: [IncidentRecord] = []

        /// Gauges read at `now`; each parameter sets the property of the same name.
        public init(transfers: TransferCounts, dossiers: [DossierOutcome: Int], registerCursor: Timestamp?,
                    circuits: [String: CircuitBreaker.State], liveInstances: Int = 1, leases: [String: Bool] = [:], now: Timestamp) {
            self.transfers = transfers
            self.dossiers = dossiers
            self.registerCursor = registerCursor
            self.circuits = circuits
            self.liveInstances = liveInstances
            self.leases = leases
            self.now = now
        }
    }

    /// The whole exposition text: build info, the engine's counters and request-duration
    /// histograms, then `gauges`. Every sample carries `instance`, this daemon's instance id
    /// (as `interlinkctl status` and the journal's claims name it); a Prometheus that scrapes
    /// with `honor_labels: false` keeps it as `exported_instance`.
    public static func render(counters: EngineCounters, gauges: Gauges, instance: String) -> String {
        var out = Output(common: ["instance": instance])
        out.family("interlink_build_info", "gauge", "Build information; always 1.")
        out.sample("interlink_build_info", ["version": InterlinkVersion.current], 1)

        out.family("interlink_requests_total", "counter", "Agency requests by result class (2xx, 4xx, 5xx, error).")
        for (agency, classes) in counters.responses.sorted(by: { $0.key < $1.key }) {
            for (result, count) in classes.sorted(by: { $0.key < $1.key }) {
                out.sample("interlink_requests_total", ["agency": agency, "class": result], Double(count))
            }
        }
        for (name, help, values) in [
            ("interlink_retries_total", "Technical failures scheduled for another attempt.", counters.retriesByAgency),
            ("interlink_rejections_total", "Business rejections (422 or rejected decisions).", counters.rejectionsByAgency),
            ("interlink_dead_transfers_total", "Transfers that became dead.", counters.deadByAgency),
        ] {
            out.family(name, "counter", help)
            for (agency, count) in values.sorted(by: { $0.key < $1.key }) { out.sample(name, ["agency": agency], Double(count)) }
        }
        out.family("interlink_write_backs_total", "counter", "Write-backs stored by the register and verified.")
        out.sample("interlink_write_backs_total", [:], Double(counters.writeBacks))
        out.family("interlink_register_record_reads_total", "counter",
                   "Interconnection records read from the register before planning a dossier version the journal never saw.")
        out.sample("interlink_register_record_reads_total", [:], Double(counters.recordReads))
        out.family("interlink_steps_adopted_total", "counter", "Steps adopted from the register's records instead of being pushed again.")
        out.sample("interlink_steps_adopted_total", [:], Double(counters.stepsAdopted))

        out.family("interlink_request_duration_seconds", "histogram", "How long agencies took to answer a push.")
        for (agency, histogram) in counters.durations.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (index, bound) in Histogram.bounds.enumerated() {
                cumulative += histogram.counts[index]
                out.sample("interlink_request_duration_seconds_bucket", ["agency": agency, "le": Output.number(bound)], Double(cumulative))
            }
            out.sample("interlink_request_duration_seconds_bucket", ["agency": agency, "le": "+Inf"], Double(histogram.count))
            out.sample("interlink_request_duration_seconds_sum", ["agency": agency], histogram.sum)
            out.sample("interlink_request_duration_seconds_count", ["agency": agency], Double(histogram.count))
        }

        out.family("interlink_transfers", "gauge", "Transfers by agency and state.")
        for (agency, states) in gauges.transfers.byAgency.sorted(by: { $0.key < $1.key }) {
            for state in TransferState.allCases {
                out.sample("interlink_transfers", ["agency": agency, "state": state.rawValue], Double(states[state, default: 0]))
            }
        }
        out.family("interlink_oldest_pending_seconds", "gauge", "Age of the oldest ready, in-flight, retrying or undecided transfer (0: none).")
        // Every configured agency has a series, 0 when nothing waits, so a graph or an alert never meets an absent one.
        for agency in Set(gauges.transfers.oldestPending.keys).union(gauges.circuits.keys).sorted() {
            out.sample("interlink_oldest_pending_seconds", ["agency": agency], gauges.transfers.oldestPending[agency].map { seconds(from: $0, to: gauges.now) } ?? 0)
        }
        out.family("interlink_circuit_state", "gauge", "Circuit breaker per agency: 0 closed, 1 half-open, 2 open.")
        for (agency, state) in gauges.circuits.sorted(by: { $0.key < $1.key }) {
            out.sample("interlink_circuit_state", ["agency": agency], state == .closed ? 0 : state == .halfOpen ? 1 : 2)
        }
        out.family("interlink_register_lag_seconds", "gauge", "How far the register cursor is behind now.")
        out.sample("interlink_register_lag_seconds", [:], gauges.registerCursor.map { seconds(from: $0, to: gauges.now) } ?? 0)
        out.family("interlink_write_backs", "gauge",
                   "Write-backs by target (register, portal-dossier, portal-progress) and state: pending, retrying, dead (the target never learned the outcome).")
        let targets = [(WriteBackTarget.register, gauges.writeBacks)] + gauges.writeBacks.otherTargets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (target, counts) in targets {
            for (state, count) in [("pending", counts.pending), ("retrying", counts.retrying), ("dead", counts.dead)] {
                out.sample("interlink_write_backs", ["target": target.rawValue, "state": state], Double(count))
            }
        }
        out.family("interlink_audit_events", "gauge", "Events in the audit chain; the tip label is the first 16 hex digits of the last event's hash (audit verify --tip takes all 64).")
        out.sample("interlink_audit_events", ["tip": String(SHA256.hex(gauges.auditTip.hash).prefix(16))], Double(gauges.auditTip.sequence))
        out.family("interlink_oldest_write_back_seconds", "gauge", "How long the oldest write-back still waiting has waited.")
        out.sample("interlink_oldest_write_back_seconds", [:], gauges.writeBacks.oldestWaitingSince.map { seconds(from: $0, to: gauges.now) } ?? 0)
        out.family("interlink_register_up", "gauge", "1 while the register answers; 0 while its breaker holds requests back.")
        out.sample("interlink_register_up", [:], gauges.register.up ? 1 : 0)
        out.family("interlink_register_last_success_timestamp_seconds", "gauge", "When the register last answered (0: not yet).")
        out.sample("interlink_register_last_success_timestamp_seconds", [:],
                   Double(gauges.register.lastSuccess?.millisecondsSinceEpoch ?? 0) / 1_000)
        out.family("interlink_register_consecutive_failures", "gauge", "Requests to the register that failed in a row.")
        out.sample("interlink_register_consecutive_failures", [:], Double(gauges.register.consecutiveFailures))
        out.family("interlink_instances", "gauge", "Daemons sharing the journal whose heartbeat is fresh.")
        out.sample("interlink_instances", [:], Double(gauges.liveInstances))
        out.family("interlink_lease_held", "gauge", "1 when this daemon holds the lease (register-poll: it polls the register).")
        for (lease, held) in gauges.leases.sorted(by: { $0.key < $1.key }) { out.sample("interlink_lease_held", ["lease": lease], held ? 1 : 0) }
        out.family("interlink_dossiers", "gauge", "Dossiers by the outcome of their newest version.")
        for outcome in DossierOutcome.allCases {
            out.sample("interlink_dossiers", ["outcome": outcome.rawValue], Double(gauges.dossiers[outcome, default: 0]))
        }
        renderDeadlines(gauges, into: &out)
        return out.text
    }

    /// Deadlines and incidents. Every service has its incident series, 0 while none is open,
    /// so an alert never meets an absent one.
    private static func renderDeadlines(_ gauges: Gauges, into out: inout Output) {
        for (name, help, counts) in [
            ("interlink_dossiers_overdue", "Dossiers past their deadline and not done, by route and the agency holding them (citizen: a supplement).",
             gauges.deadlines.overdue),
            ("interlink_dossiers_due_soon", "Dossiers due within deadlines.dueSoonWorkingHours working hours, by route and the agency holding them.",
             gauges.deadlines.dueSoon),
        ] {
            out.family(name, "gauge", help)
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) { out.sample(name, ["route": key.route, "agency": key.agency], Double(count)) }
        }
        out.family("interlink_incident_open", "gauge", "1 while an incident of this kind is open for the service.")
        var series: Set<[String]> = [["register", IncidentKind.registerOutage.rawValue]]
        for agency in gauges.circuits.keys {
            for kind in [IncidentKind.circuitOpen, .deadTransfers, .stalledQueue] { series.insert([agency, kind.rawValue]) }
        }
        let open = Set(gauges.openIncidents.map { [$0.service, $0.kind.rawValue] })
        for pair in series.union(open).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            out.sample("interlink_incident_open", ["service": pair[0], "kind": pair[1]], open.contains(pair) ? 1 : 0)
        }
    }

    private static func seconds(from start: Timestamp, to end: Timestamp) -> Double {
        Double(max(0, end.millisecondsSinceEpoch - start.millisecondsSinceEpoch)) / 1_000
    }

    private struct Output {
        /// Labels every sample carries.
        let common: [String: String]
        var text = ""

        mutating func family(_ name: String, _ type: String, _ help: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }

        mutating func sample(_ name: String, _ own: [String: String], _ value: Double) {
            let labels = own.merging(common) { mine, _ in mine }
            let rendered = labels.isEmpty ? "" : "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
                .joined(separator: ",") + "}"
            text += "\(name)\(rendered) \(Self.number(value))\n"
        }

        static func number(_ value: Double) -> String {
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : value.description
        }

        static func escape(_ value: String) -> String {
            value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
        }
    }
}
