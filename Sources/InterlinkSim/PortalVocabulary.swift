import Interlink

/// The words of the simulator's second dialect, modelled on the national public-service
/// portal: Vietnamese field names, numeric dossier statuses, `yyyyMMddHHmmss` dates in
/// Asia/Ho_Chi_Minh, Vietnamese decision words. The world behind it stays the contract's;
/// these tables translate at the edge, both ways.
enum PortalVocabulary {
    /// Contract field → portal field, in request bodies and results alike.
    static let fields: [String: String] = [
        "dossierCode": "MaHoSo", "child": "Tre", "fullName": "HoTen", "dateOfBirth": "NgaySinh", "sex": "GioiTinh", "placeOfBirth": "NoiSinh",
        "ethnicity": "DanToc", "nationality": "QuocTich", "hometown": "QueQuan", "mother": "Me", "father": "Cha", "personalId": "SoDinhDanh",
        "residenceAddress": "DiaChiThuongTru", "deceased": "NguoiMat", "dateOfDeath": "NgayMat", "placeOfDeath": "NoiMat",
        "declarant": "NguoiKhai", "relation": "QuanHe", "person": "NguoiYeuCau", "purpose": "MucDich", "holder": "NguoiThamGia",
        "birthCertificateNo": "SoGiayKhaiSinh", "socialInsuranceNo": "SoBHXH", "deathCertificateNo": "SoGiayBaoTu", "claimant": "NguoiHuong",
        "bankAccount": "SoTaiKhoan", "kind": "LoaiBienDong", "transferor": "BenChuyenNhuong", "transferee": "BenNhanChuyenNhuong",
        "parcel": "ThuaDat", "mapSheetNo": "SoToBanDo", "parcelNo": "SoThua", "areaM2": "DienTich", "address": "DiaChi",
        "certificateNo": "SoGiayChungNhan", "maritalStatusConfirmationNo": "SoXacNhanHonNhan", "registrationBook": "SoSoDangKy",
        "registeredAt": "NgayDangKy", "confirmationNo": "SoXacNhan", "maritalStatus": "TinhTrangHonNhan", "validUntil": "HieuLucDen",
        "cardNo": "SoThe", "holderName": "TenNguoiThamGia", "validFrom": "TuNgay", "validTo": "DenNgay", "hospitalCode": "MaNoiKCB",
        "decisionNo": "SoQuyetDinh", "amountVnd": "SoTien", "registrationNo": "SoDangKyBienDong",
    ]
    static let contractFields = Dictionary(uniqueKeysWithValues: fields.map { ($1, $0) })

    /// Contract fields holding a date (`yyyy-MM-dd`) or a timestamp (RFC 3339): the portal writes both as `yyyyMMddHHmmss`.
    static let dates: Set<String> = ["dateOfBirth", "dateOfDeath", "validUntil", "validFrom", "validTo"]
    static let timestamps: Set<String> = ["registeredAt", "receivedAt", "dueAt"]
    static let sexes: [String: String] = ["male": "1", "female": "2"]

    /// Decision words.
    static let decisions: [String: String] = [
        "completed": "DA_XU_LY", "accepted": "DA_TIEP_NHAN", "processing": "DANG_XU_LY", "rejected": "TU_CHOI", "cancelled": "DA_HUY",
    ]

    /// The portal's dossier status codes 1–10 for the register's statuses.
    static let dossierStatuses: [String: Int] = [
        "new": 1, "received": 2, "unresolved": 3, "processing": 4, "waiting": 5, "paying": 6, "cancelled": 7, "denied": 8, "releasing": 9, "done": 10,
    ]

    /// The register's dossier entry as the portal lists it.
    static let dossierFields: [String: String] = [
        "code": "MaHoSo", "version": "PhienBan", "procedureCode": "MaTTHC", "procedureName": "TenTTHC", "status": "TrangThaiHoSo",
        "receivedAt": "NgayTiepNhan", "updatedAt": "ThoiDiemCapNhat", "dueAt": "HanXuLy", "office": "CoQuan", "applicant": "NguoiNop",
        "form": "ThongTin", "attachments": "TepDinhKem",
    ]
    static let applicantFields: [String: String] = ["fullName": "HoTen", "personalId": "SoDinhDanh", "phone": "DienThoai", "address": "DiaChi"]

    static let zone = ZoneRules.vietnam

    /// A contract value (body, result, reasons) in the portal's words.
    static func toPortal(_ value: JSONValue, key: String? = nil) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { (fields[$0] ?? $0, toPortal($1, key: $0)) }))
        case .array(let elements):
            return .array(elements.map { toPortal($0, key: nil) })
        case .string(let text):
            guard let key else { return value }
            if key == "sex" { return .string(sexes[text] ?? text) }
            if key == "pointer" { return .string(renamePointer(text, with: fields)) }
            if dates.contains(key) { return convert(text, from: .isoDate, to: .compact) }
            if timestamps.contains(key) { return convert(text, from: .rfc3339, to: .compact) }
            return value
        default:
            return value
        }
    }

    /// A portal value in the contract's words, for the world behind the dialect.
    static func toContract(_ value: JSONValue, key: String? = nil) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { name, member in
                let contract = contractFields[name] ?? name
                return (contract, toContract(member, key: contract))
            }))
        case .array(let elements):
            return .array(elements.map { toContract($0, key: nil) })
        case .string(let text):
            guard let key else { return value }
            if key == "sex" { return .string(sexes.first { $0.value == text }?.key ?? text) }
            if dates.contains(key) { return convert(text, from: .compact, to: .isoDate) }
            return value
        default:
            return value
        }
    }

    /// A register entry as the portal lists it: renamed at the top and in the applicant,
    /// its status a code, its dates compact; the form is the register's own.
    static func dossier(_ entry: JSONValue) -> JSONValue {
        guard case .object(let members) = entry else { return entry }
        var portal: [String: JSONValue] = [:]
        for (name, value) in members {
            var converted = value
            switch name {
            case "status": converted = value.stringValue.flatMap { dossierStatuses[$0] }.map { .number(Double($0)) } ?? value
            case "receivedAt", "dueAt": converted = value.stringValue.map { convert($0, from: .rfc3339, to: .compact) } ?? value
            case "applicant":
                if case .object(let applicant) = value {
                    converted = .object(Dictionary(uniqueKeysWithValues: applicant.map { (applicantFields[$0] ?? $0, $1) }))
                }
            default: break
            }
            portal[dossierFields[name] ?? name] = converted
        }
        return .object(portal)
    }

    private static func convert(_ text: String, from: ValueTransform.DateFormat, to: ValueTransform.DateFormat) -> JSONValue {
        (try? ValueTransform.date(from: from, to: to, timeZone: zone).apply(.string(text)).get()) ?? .string(text)
    }

    private static func renamePointer(_ pointer: String, with table: [String: String]) -> String {
        pointer.split(separator: "/", omittingEmptySubsequences: false).map { table[String($0)] ?? String($0) }.joined(separator: "/")
    }
}
