/// One step of a route: a request to one agency operation.
public struct StepConfig: Sendable, Hashable {
    /// Unique within its route (letters, digits and `-`); transfers and `needs` refer to the step by it.
    public var name: String
    /// The name of the agency under `/agencies` the request goes to.
    public var agency: String
    /// The operation path relative to the agency's base URL as configured, e.g. `/births`,
    /// or `/api/khaisinh/{/code}` with values from the dossier.
    public var operation: String
    /// `operation` parsed: each transfer's path is filled from its dossier when it is planned.
    public var path: PathTemplate
    /// How this step's agency speaks for this operation: the agency's dialect with the step's overrides.
    public var dialect: AgencyDialect
    /// Steps that must be `completed` before this one is sent.
    public var needs: [String]
    /// Builds the request body from the dossier and the results of the steps it needs.
    public var payload: PayloadTemplate
    /// How long the agency has, counted from when the steps it needs are due (or the clock
    /// start); nil: it is due with the route.
    public var deadline: DeadlineRule? = nil
}

/// A cross-step reconciliation rule: two references that must agree once both are known.
public struct CheckConfig: Sendable, Hashable {
    /// How a check compares its two values.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        /// Byte-for-byte equality of the JSON values.
        case equal
        /// Equal after trimming, folding case and collapsing inner whitespace (for names).
        case sameText = "same-text"
    }

    /// Names the check in discrepancies; `check` when the config gives none.
    public var name: String
    /// The first value compared: a dossier pointer or `steps.<step>.result/...`.
    public var left: PayloadTemplate.Reference
    /// The second value compared, written like `left`.
    public var right: PayloadTemplate.Reference
    /// How the two values must agree; `equal` by default.
    public var comparison: Comparison
}

/// The workflow for one or more procedure codes: a small DAG of steps.
public struct RouteConfig: Sendable, Hashable {
    /// The route's name, shown in logs and in config errors.
    public var name: String
    /// The register procedure codes it handles; each code belongs to one route only.
    public var procedureCodes: [String]
    /// In dependency order: every step comes after the steps it needs.
    public var steps: [StepConfig]
    /// Rules comparing step results with each other and the dossier; a mismatch puts the dossier in `needs-review`.
    public var checks: [CheckConfig]
    /// How long the whole group has from the clock start; nil: the dossier's `dueAt`.
    public var deadline: DeadlineRule? = nil
    /// This route's procedures' cut-off (milliseconds after local midnight); nil: the calendar's.
    public var cutoff: Int64? = nil
}

extension RouteConfig {
    init?(reading object: ConfigObjectReader, agencies: Set<String>, dialects: [String: AgencyDialect], collector: IssueCollector) {
        defer { object.finish() }
        let name = object.string("name") ?? ""
        let codes = object.stringArray("procedureCodes")
        if codes.isEmpty { object.report("procedureCodes", "a route needs at least one procedure code") }
        var steps: [StepConfig] = []
        var stepPaths: [String: JSONPointer] = [:]
        let stepElements = object.array("steps")
        if stepElements.isEmpty { object.report("steps", "a route needs at least one step") }
        for element in stepElements {
            guard let reader = object.objectReader(for: element),
                  let step = Self.readStep(reader, agencies: agencies, dialects: dialects, collector: collector) else { continue }
            if stepPaths[step.name] != nil {
                collector.add(element.path.appending("name"), "duplicate step name \"\(step.name)\"")
                continue
            }
            stepPaths[step.name] = element.path
            steps.append(step)
        }
        let ordered = Self.orderSteps(steps, paths: stepPaths, collector: collector)
        let checks = object.array("checks").compactMap { element in
            object.objectReader(for: element).flatMap { Self.readCheck($0, steps: Set(stepPaths.keys)) }
        }
        let deadline = DeadlineRule(reading: object.object("deadline"))
        var cutoff: Int64?
        if let text = object.optionalString("cutoff") {
            if let minutes = CalendarConfig.clock(text) { cutoff = Int64(minutes) * 60_000 } else { object.report("cutoff", "expected HH:MM, e.g. 15:00") }
        }
        guard let ordered else { return nil }
        self.init(name: name, procedureCodes: codes, steps: ordered, checks: checks, deadline: deadline, cutoff: cutoff)
    }

    private static func readStep(_ object: ConfigObjectReader, agencies: Set<String>, dialects: [String: AgencyDialect],
                                 collector: IssueCollector) -> StepConfig? {
        defer { object.finish() }
        let name = object.string("name")
        if let name, !isIdentifier(name) {
            object.report("name", "use letters, digits and '-' only, starting with a letter")
        }
        let agency = object.string("agency")
        if let agency, !agencies.contains(agency) {
            object.report("agency", "unknown agency \"\(agency)\"; define it under /agencies")
        }
        let operation = object.string("operation")
        let path = operation.flatMap { _ in AgencyDialect.path(object, "operation", allowedNames: []) }
        let dialect = (agency.flatMap { dialects[$0] } ?? .contract).overridden(by: object.object("dialect"))
        let needs = object.stringArray("needs")
        var payload = PayloadTemplate.literal(.object([:]))
        if let template = object.value("payload") {
            var issues: [ConfigIssue] = []
            payload = PayloadTemplate.parse(template, at: object.path.appending("payload"), issues: &issues)
            collector.add(contentsOf: issues)
        } else {
            object.report("payload", "required field is missing")
        }
        let deadline = DeadlineRule(reading: object.object("deadline"))
        guard let name, let agency, let operation, let path else { return nil }
        return StepConfig(name: name, agency: agency, operation: operation, path: path, dialect: dialect, needs: needs, payload: payload,
                          deadline: deadline)
    }

    private static func readCheck(_ object: ConfigObjectReader, steps: Set<String>) -> CheckConfig? {
        defer { object.finish() }
        let name = object.string("name") ?? "check"
        func reference(_ key: String) -> PayloadTemplate.Reference? {
            guard let text = object.string(key) else { return nil }
            var issues: [ConfigIssue] = []
            let template = PayloadTemplate.parse(.string(text), at: object.path.appending(key), issues: &issues)
            guard issues.isEmpty, case .reference(let parsed) = template else {
                object.report(key, "must be a JSON Pointer (/...) or steps.<step>.result/...")
                return nil
            }
            if case .stepResult(let step) = parsed.source, !steps.contains(step) {
                object.report(key, "unknown step \"\(step)\"")
            }
            return parsed
        }
        let left = reference("left")
        let right = reference("right")
        let comparison = object.enumeration("comparison", default: CheckConfig.Comparison.equal)
        guard let left, let right else { return nil }
        return CheckConfig(name: name, left: left, right: right, comparison: comparison)
    }

    /// Topologically orders the steps, reporting unknown dependencies, cycles, and
    /// payloads that read results of steps they do not (transitively) need.
    private static func orderSteps(_ steps: [StepConfig], paths: [String: JSONPointer], collector: IssueCollector) -> [StepConfig]? {
        let byName = Dictionary(uniqueKeysWithValues: steps.map { ($0.name, $0) })
        var valid = true
        for step in steps {
            for (position, need) in step.needs.enumerated() where byName[need] == nil || need == step.name {
                let message = need == step.name ? "a step cannot need itself" : "unknown step \"\(need)\""
                collector.add(paths[step.name]!.appending("needs").appending(String(position)), message)
                valid = false
            }
        }
        guard valid else { return nil }
        var ordered: [StepConfig] = []
        var state: [String: Bool] = [:]   // false: on the current path; true: done
        func visit(_ name: String, trail: [String]) -> Bool {
            if let done = state[name] {
                if !done {
                    let cycle = (trail.drop { $0 != name } + [name]).joined(separator: " → ")
                    collector.add(paths[name]!.appending("needs"), "dependency cycle: \(cycle)")
                }
                return done
            }
            state[name] = false
            let step = byName[name]!
            for need in step.needs where !visit(need, trail: trail + [name]) { return false }
            state[name] = true
            ordered.append(step)
            return true
        }
        for step in steps where !visit(step.name, trail: []) { return nil }
        let ancestors = ancestorSets(ordered)
        for step in ordered {
            for used in step.payload.referencedSteps.sorted() where !ancestors[step.name]!.contains(used) {
                collector.add(paths[step.name]!.appending("payload"),
                              "reads steps.\(used).result but does not need step \"\(used)\"; add it to needs")
            }
        }
        return ordered
    }

    private static func ancestorSets(_ ordered: [StepConfig]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for step in ordered {
            result[step.name] = step.needs.reduce(into: Set(step.needs)) { $0.formUnion(result[$1] ?? []) }
        }
        return result
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }
}

extension Array where Element == RouteConfig {
    /// The route whose procedure codes include `code`, if one is configured.
    public func route(forProcedure code: String) -> RouteConfig? {
        first { $0.procedureCodes.contains(code) }
    }
}
