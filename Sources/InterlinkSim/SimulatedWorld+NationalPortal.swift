import Interlink
import Synchronization

/// The national public-service portal's sync services, served beside the register: the
/// dossier sync (DongBoHoSoMC) and the progress report (CapNhatTienDoHoSoMC). A progress
/// report for a dossier version the portal has not been synced refuses, as the portal does.
/// Both are effects, once per key, so `/_sim/effects` proves reports are neither lost nor repeated.
extension SimulatedWorld {
    static let nationalPortalPrefix = "/national-portal/"

    func handleNationalPortal(_ request: HTTPServerRequest, key: String?, latencyMs: Int) -> HTTPServerResponse {
        guard request.method == "POST", let body = try? JSONParser.parse(request.body), let code = body["MaHoSo"]?.stringValue,
              let version = body["PhienBan"]?.intValue else {
            return .json(400, ["error_code": "400", "message": "cần MaHoSo và PhienBan"])
        }
        switch request.path.dropFirst(Self.nationalPortalPrefix.count) {
        case "dossiers":
            return idempotent(service: "portal", scope: request.method + " " + request.path, key: key, body: request.body, latencyMs: latencyMs) { state in
                state.portalSynced[code] = max(state.portalSynced[code] ?? 0, version)
                let effect = SimulatedEffect(service: "portal", operation: "dossier-sync", idempotencyKey: key ?? "", dossierCode: code, receipt: nil, at: .now())
                return (StoredResponse(status: 200, body: ["error_code": "00", "message": "Đồng bộ thành công"]), effect)
            }
        case "progress":
            guard let status = body["TrangThai"]?.intValue, (1...10).contains(status) else {
                return .json(400, ["error_code": "400", "message": "TrangThai phải từ 1 đến 10"])
            }
            // Refused before the key is taken: the refusal is no answer to keep, and the same report may come again later.
            let synced = state.withLock { state in
                if (state.portalSynced[code] ?? 0) < version { state.portalOutOfOrder += 1 }
                return (state.portalSynced[code] ?? 0) >= version
            }
            guard synced else { return .json(200, ["error_code": "02", "message": "hồ sơ chưa được đồng bộ"]) }
            return idempotent(service: "portal", scope: request.method + " " + request.path, key: key, body: request.body, latencyMs: latencyMs) { state in
                state.portalProgress[code, default: []].append(status)
                let effect = SimulatedEffect(service: "portal", operation: "progress", idempotencyKey: key ?? "", dossierCode: code, receipt: nil, at: .now())
                return (StoredResponse(status: 200, body: ["error_code": "00", "message": "Cập nhật thành công"]), effect)
            }
        default:
            return .json(404, ["error_code": "404", "message": .string("không có dịch vụ \(request.path)")])
        }
    }
}
