/// The national portal's progress service as a write-back channel: the dossier sync and the
/// progress report, each sent as configured under its key, acknowledged by the success rule.
struct PortalChannel: WriteBackChannel {
    let endpoint: EndpointClient
    let settings: ProgressReportConfig

    init(settings: ProgressReportConfig, http: HTTPClient) {
        endpoint = EndpointClient(name: "portal", config: settings.endpoint, http: http)
        self.settings = settings
    }

    var targets: Set<WriteBackTarget> { [.portalDossier, .portalProgress] }

    var maxConcurrent: Int { settings.endpoint.maxConcurrent }

    /// The stored body goes as it is: it was rendered from the configured template when queued.
    func send(_ record: WriteBackRecord) async -> PeerAnswer {
        let call = record.target == .portalProgress ? settings.progress : settings.dossier
        guard case .success(let path) = call.path.fill(named: ["code": record.dossierCode]) else {
            return .fatal(status: nil, reason: "progressReports path \(call.path) cannot be filled")
        }
        let answer = PeerAnswer.classify(await endpoint.send(call.method, path, body: Array(record.body.utf8),
                                                             headers: [(call.keyHeader, record.idempotencyKey)]))
        // An error code inside a 200 is not an acknowledgement; it is retried like any technical failure.
        guard case .success(let response) = answer, let (pointer, code) = settings.success.failure(in: try? response.json()) else { return answer }
        return .technical(reason: "the portal answered an error: \(pointer) is \(code ?? "missing")", retryAfterMs: nil)
    }

    /// A 200 whose success rule held.
    func verified(_ response: HTTPResponse, _ record: WriteBackRecord) -> Bool { true }
}
