import Interlink

extension GeneratedDossier {
    typealias Case = DossierGenerator.Case

    static let birthProcedure = ("1.001193", "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi")
    static let deathProcedure = ("1.011537", "Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ trợ chi phí mai táng")
    static let landProcedure = ("1.004227", "Đăng ký biến động quyền sử dụng đất do chuyển nhượng")

    mutating func birth(_ kind: Case) -> FixtureDossier {
        let female = Bool.random(using: &generator)
        let mother = person(years: 20...38, female: true)
        let father = person(years: 22...42, female: false)
        var childBorn = at.utcDate.adding(days: -Int.random(in: 1...40, using: &generator))
        if kind == .futureBirth {
            // A clerk's slip: the year typed with two digits swapped, far in the future.
            childBorn = CalendarDate(year: childBorn.year + 180, month: childBorn.month, day: min(childBorn.day, 28))
        }
        let familyName = father.name.split(separator: " ").first.map(String.init) ?? "Nguyễn"
        let childName = familyName + " " + name(female: female).split(separator: " ").dropFirst().joined(separator: " ")
        let residence = address()
        let withFather = Int.random(in: 0..<10, using: &generator) < 8
        var form: JSONValue = [
            "child": ["fullName": .string(childName), "dateOfBirth": .string(childBorn.description), "sex": female ? "female" : "male",
                      "placeOfBirth": .string(province.hospital), "ethnicity": .string(pick(Vocabulary.ethnicities)),
                      "nationality": "Việt Nam", "hometown": .string("\(pick(province.communes)), \(province.name)")],
            "mother": ["fullName": .string(mother.name), "personalId": .string(mother.id), "dateOfBirth": .string(mother.born.description)],
            "residence": ["address": .string(residence)],
        ]
        if withFather, case .object(var members) = form {
            members["father"] = ["fullName": .string(father.name), "personalId": .string(father.id), "dateOfBirth": .string(father.born.description)]
            form = .object(members)
        }
        if kind == .missingField { form = Self.removing("dateOfBirth", from: form, in: "child") }
        let dossier = envelope(procedure: Self.birthProcedure.0, procedureName: Self.birthProcedure.1, form: form,
                               applicant: (mother.name, mother.id), dueDays: 3,
                               attachments: ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh", "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"])
        let discrepancy = pick(["holderName", "dateOfBirth"])
        return FixtureDossier(dossier: dossier, simulate: kind == .discrepancy ? ["discrepancy": .string(discrepancy)] : [:],
                              expect: expectation(kind))
    }

    mutating func death(_ kind: Case) -> FixtureDossier {
        let female = Bool.random(using: &generator)
        let deceased = person(years: 55...95, female: female)
        let claimant = person(years: 25...60, female: !female)
        var died = at.utcDate.adding(days: -Int.random(in: 1...20, using: &generator))
        if kind == .deathBeforeBirth {
            // The century mistyped: 19xx instead of 20xx.
            died = CalendarDate(year: died.year - 100, month: died.month, day: min(died.day, 28))
        }
        var form: JSONValue = [
            "deceased": ["fullName": .string(deceased.name), "personalId": .string(deceased.id), "dateOfBirth": .string(deceased.born.description),
                         "dateOfDeath": .string(died.description), "placeOfDeath": .string(address()),
                         "socialInsuranceNo": .string(String(province.personalIDCode.suffix(2)) + digits(8))],
            "claimant": ["fullName": .string(claimant.name), "personalId": .string(claimant.id), "relation": .string(pick(Vocabulary.relations)),
                         "bankAccount": .string(digits(13))],
        ]
        if kind == .missingField { form = Self.removing("personalId", from: form, in: "deceased") }
        let dossier = envelope(procedure: Self.deathProcedure.0, procedureName: Self.deathProcedure.1, form: form,
                               applicant: (claimant.name, claimant.id), dueDays: 5,
                               attachments: ["Giấy báo tử", "Tờ khai đăng ký khai tử", "Sổ bảo hiểm xã hội"])
        return FixtureDossier(dossier: dossier, simulate: [:], expect: expectation(kind))
    }

    mutating func land(_ kind: Case) -> FixtureDossier {
        let transferor = person(years: 30...70, female: Bool.random(using: &generator))
        let transferee = person(years: 25...60, female: Bool.random(using: &generator))
        var form: JSONValue = [
            "transferor": ["fullName": .string(transferor.name), "personalId": .string(transferor.id)],
            "transferee": ["fullName": .string(transferee.name), "personalId": .string(transferee.id)],
            "parcel": ["mapSheetNo": .string(String(Int.random(in: 1...80, using: &generator))),
                       "parcelNo": .string("G\(index)"), "areaM2": .number(Double(Int.random(in: 400...30_000, using: &generator)) / 10),
                       "address": .string("\(pick(province.communes)), \(province.name)"),
                       "certificateNo": .string(pick(["CS", "BĐ", "CH"]) + " " + digits(6))],
        ]
        if kind == .missingField { form = Self.removing("areaM2", from: form, in: "parcel") }
        let dossier = envelope(procedure: Self.landProcedure.0, procedureName: Self.landProcedure.1, form: form,
                               applicant: (transferor.name, transferor.id), dueDays: 10,
                               attachments: ["Hợp đồng chuyển nhượng quyền sử dụng đất", "Giấy chứng nhận quyền sử dụng đất", "Đơn đăng ký biến động"])
        let simulate: JSONValue = kind == .staleConfirmation ? ["confirmationAgeDays": 200] : [:]
        return FixtureDossier(dossier: dossier, simulate: simulate, expect: expectation(kind))
    }

    private func expectation(_ kind: Case) -> JSONValue {
        switch kind {
        case .ok: ["outcome": "completed", "why": "every agency accepts"]
        case .discrepancy: ["outcome": "needs-review", "why": "the insurance card disagrees with the registered birth"]
        case .missingField: ["outcome": "supplement-requested", "why": "a required form field is missing; quarantined before any push"]
        case .futureBirth, .deathBeforeBirth, .unknownParcel, .staleConfirmation:
            ["outcome": "supplement-requested", "why": .string("an agency rejects it on business grounds (\(kind.rawValue))")]
        }
    }
}
