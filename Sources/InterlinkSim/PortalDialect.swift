import Interlink
import Synchronization

/// The simulator's second dialect (`--dialect portal`): the same world behind the national
/// portal's conventions. A session login (`POST /dvc/dang-nhap`) gives a session carried in
/// `X-Phien`, expiring after a number of uses; answers carry `error_code` inside HTTP 200
/// (0 from the civil registry, "00" from the others); keys travel in `X-Request-Id`.
/// Requests are translated to the contract and served by ``SimulatedWorld``, whose faults,
/// idempotency and effects therefore hold in both dialects alike.
public final class PortalDialect: Sendable {
    /// Where every portal path starts.
    public static let prefix = "/dvc"
    /// Uses after which a session expires, so clients must renew it on 401.
    static let sessionUses = 150

    /// Contract operation → the portal's path word.
    static let operations: [String: String] = [
        "births": "khai-sinh", "deaths": "khai-tu", "marital-status-confirmations": "xac-nhan-hon-nhan",
        "health-insurance-cards": "the-bhyt", "funeral-allowances": "tro-cap-mai-tang", "registrations": "dang-ky-bien-dong",
    ]

    let world: SimulatedWorld
    private let sessions = Mutex<(issued: Int, uses: [String: Int])>((0, [:]))

    init(world: SimulatedWorld) {
        self.world = world
    }

    /// Serves one portal request to `service`.
    func handle(service: String, request: HTTPServerRequest) -> HTTPServerResponse {
        guard request.path.hasPrefix(Self.prefix) else { return .error(404, code: "not-found", message: "the portal serves \(Self.prefix)") }
        let segments = request.path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        if request.method == "POST", segments == ["dang-nhap"] { return login(service, request) }
        guard let session = request.headers["X-Phien"], use(session) else {
            return .json(401, ["error_code": "401", "message": "phiên đăng nhập không hợp lệ hoặc đã hết hạn"])
        }
        return service == "register" ? register(segments, request) : agency(service, segments, request)
    }

    private func login(_ service: String, _ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let body = try? JSONParser.parse(request.body), body["tenDangNhap"]?.stringValue == "interlink",
              let password = body["matKhau"]?.stringValue, password == world.tokens[service] else {
            world.state.withLock { $0.unauthorized[service, default: 0] += 1 }
            return .json(401, ["error_code": "401", "message": "sai tên đăng nhập hoặc mật khẩu"])
        }
        let session = sessions.withLock { sessions in
            sessions.issued += 1
            let id = "PHIEN-\(service)-\(sessions.issued)"
            sessions.uses[id] = 0
            return id
        }
        return .json(200, ["error_code": successCode(service), "data": ["phien": .string(session)]])
    }

    /// Counts one use of `session`; false once it has expired or was never issued.
    private func use(_ session: String) -> Bool {
        sessions.withLock { sessions in
            guard let used = sessions.uses[session], used < Self.sessionUses else {
                sessions.uses[session] = nil
                return false
            }
            sessions.uses[session] = used + 1
            return true
        }
    }

    private func register(_ segments: [String], _ request: HTTPServerRequest) -> HTTPServerResponse {
        switch (request.method, segments.count) {
        case ("GET", 1) where segments[0] == "ho-so":
            var query: [String: String] = [:]
            for (portal, contract) in [("tuThoiDiem", "updatedSince"), ("sauMa", "afterCode"), ("soLuong", "limit")] { query[contract] = request.query[portal] }
            let answer = forward("register", "GET", SimulatedWorld.registerPrefix, query: query, request)
            return reply("register", answer) { page in
                ["danhSach": .array((page["items"]?.arrayValue ?? []).map(PortalVocabulary.dossier)),
                 "tiepTheo": page["next"].flatMap { $0 == .null ? nil : ["thoiDiem": $0["updatedSince"] ?? .null, "ma": $0["afterCode"] ?? .null] } ?? .null]
            }
        case ("GET", 2) where segments[0] == "ho-so":
            return reply("register", forward("register", "GET", SimulatedWorld.registerPrefix + "/" + segments[1], request), PortalVocabulary.dossier)
        case ("GET", 3) where segments[0] == "ho-so" && segments[2] == "lien-thong":
            return reply("register", forward("register", "GET", SimulatedWorld.registerPrefix + "/\(segments[1])/interconnection", request)) {
                ["MaHoSo": .string(segments[1]), "NoiDung": $0]
            }
        case ("POST", 3) where segments[0] == "ho-so" && segments[2] == "lien-thong":
            guard let body = try? JSONParser.parse(request.body), let record = body["NoiDung"] else {
                return .json(400, ["error_code": "400", "message": "thiếu NoiDung"])
            }
            let answer = forward("register", "PUT", SimulatedWorld.registerPrefix + "/\(segments[1])/interconnection", request, body: record)
            return reply("register", answer) { ["MaHoSo": .string(segments[1]), "NoiDung": $0] }
        case ("POST", 1) where segments[0] == "dong-bo-ho-so" || segments[0] == "cap-nhat-tien-do":
            // The national portal's own services answer in its envelope already.
            guard let body = try? JSONParser.parse(request.body) else { return .json(400, ["error_code": "400", "message": "dữ liệu không phải JSON"]) }
            let path = SimulatedWorld.nationalPortalPrefix + (segments[0] == "dong-bo-ho-so" ? "dossiers" : "progress")
            return forward("register", "POST", path, request, body: body)
        default:
            return .error(404, code: "not-found", message: "\(request.method) \(request.path) is not a portal register call")
        }
    }

    private func agency(_ service: String, _ segments: [String], _ request: HTTPServerRequest) -> HTTPServerResponse {
        switch (request.method, segments.count) {
        case ("PUT", 2):
            guard let operation = Self.operations.first(where: { $0.value == segments[0] })?.key,
                  let body = try? JSONParser.parse(request.body), case .object = body else {
                return .json(400, ["error_code": "400", "message": .string("không có nghiệp vụ \(segments[0]) hoặc dữ liệu không phải JSON")])
            }
            return reply(service, forward(service, "POST", "/" + operation, request, body: PortalVocabulary.toContract(body)), decision)
        case ("GET", 2) where segments[0] == "bien-nhan":
            return reply(service, forward(service, "GET", "/receipts/" + segments[1], request), decision)
        case ("POST", 3) where segments[0] == "bien-nhan" && segments[2] == "huy":
            return reply(service, forward(service, "POST", "/receipts/\(segments[1])/cancel", request, body: [:]), decision)
        default:
            return .error(404, code: "not-found", message: "\(request.method) \(request.path) is not a portal call of \(service)")
        }
    }

    /// A contract decision (`{receipt, status, result, reasons}`) in the portal's words.
    private func decision(_ body: JSONValue) -> JSONValue {
        var data: [String: JSONValue] = [:]
        if let receipt = body["receipt"] { data["SoBienNhan"] = receipt }
        if let status = body["status"]?.stringValue { data["TrangThai"] = .string(PortalVocabulary.decisions[status] ?? status) }
        if let result = body["result"], result != .null { data["KetQua"] = PortalVocabulary.toPortal(result) }
        if let reasons = body["reasons"] { data["LyDo"] = PortalVocabulary.toPortal(reasons) }
        return .object(data)
    }

    /// The world's contract request for a portal one: the same key, the service's bearer token.
    private func forward(_ service: String, _ method: String, _ path: String, query: [String: String] = [:], _ request: HTTPServerRequest,
                         body: JSONValue? = nil) -> HTTPServerResponse {
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(world.tokens[service] ?? "")")
        if let key = request.headers["X-Request-Id"] { headers.add("Idempotency-Key", key) }
        if body != nil { headers.add("Content-Type", "application/json") }
        return world.handle(service: service, request: HTTPServerRequest(method: method, path: path, query: query, headers: headers,
                                                                         body: body.map(JSONWriter.bytes) ?? []))
    }

    /// The world's answer in the portal's envelope: a 2xx becomes 200 with `error_code` and
    /// `data`; a business refusal (422 other than a reused key) becomes 200 with error code
    /// "01"; anything else (faults, 401, 404, 409, malformed bodies) passes as it is.
    private func reply(_ service: String, _ answer: HTTPServerResponse, _ translate: (JSONValue) -> JSONValue) -> HTTPServerResponse {
        guard answer.disposition == .normal, let body = try? JSONParser.parse(answer.body) else { return answer }
        if (200...299).contains(answer.status) {
            return .json(200, ["error_code": successCode(service), "message": "Thành công", "data": translate(body)])
        }
        if answer.status == 422, let error = body["error"], error["code"]?.stringValue != "idempotency-key-reused" {
            let reasons = (error["fields"]?.arrayValue ?? []).map { PortalVocabulary.toPortal($0) }
            return .json(200, ["error_code": "01", "message": error["message"] ?? "từ chối", "data": ["LyDo": .array(reasons)]])
        }
        return answer
    }

    /// Versions of the portal differ: the civil registry sends 0, the others "00".
    private func successCode(_ service: String) -> JSONValue {
        service == "civil-registry" ? .number(0) : .string("00")
    }
}
