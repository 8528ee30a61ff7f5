import Interlink
import Foundation

/// How a simulated agency decides one operation request: pure functions of the request,
/// what has been issued before, the dossier's simulation hints and the date.
struct AgencyRules {
    /// The result of evaluating a request.
    enum Verdict {
        /// 422 validation-failed, answered at once.
        case invalid([JSONValue])
        /// Accepted; the decision is revealed at once or through a receipt.
        case accepted(Receipt.Decision, issue: (inout IssuedRecords) -> Void)
    }

    /// The operations each agency serves.
    static let operations: [String: Set<String>] = [
        "civil-registry": ["births", "deaths", "marital-status-confirmations"],
        "insurance": ["health-insurance-cards", "funeral-allowances"],
        "land": ["registrations"],
    ]

    let random: DeterministicRandom
    let today: CalendarDate
    let issued: IssuedRecords
    let parcels: Set<String>
    let hints: JSONValue

    func evaluate(operation: String, body: JSONValue, key: String) -> Verdict {
        var fields = FieldCheck(body: body)
        switch operation {
        case "births": return birth(&fields, key: key)
        case "deaths": return death(&fields, key: key)
        case "marital-status-confirmations": return maritalStatus(&fields, key: key)
        case "health-insurance-cards": return healthCard(&fields, key: key)
        case "funeral-allowances": return funeralAllowance(&fields, key: key)
        default: return registration(&fields, key: key)
        }
    }

    static func reason(_ pointer: String, _ code: String, _ message: String) -> JSONValue {
        ["code": .string(code), "pointer": .string(pointer), "message": .string(message)]
    }

    private func number(_ prefix: String, _ key: String, digits: Int = 6) -> String {
        let value = random.value(prefix, key) % UInt64(pow10(digits))
        let text = String(value)
        return prefix + "-" + String(today.year) + "-" + String(repeating: "0", count: digits - text.count) + text
    }

    private func pow10(_ digits: Int) -> Int { (0..<digits).reduce(1) { value, _ in value * 10 } }

    private func birth(_ fields: inout FieldCheck, key: String) -> Verdict {
        let name = fields.string("/child/fullName")
        let dateOfBirth = fields.date("/child/dateOfBirth")
        let sex = fields.string("/child/sex")
        for pointer in ["/child/placeOfBirth", "/child/ethnicity", "/child/nationality", "/child/hometown", "/mother/fullName",
                        "/residenceAddress"] { _ = fields.string(pointer) }
        let motherID = fields.personalID("/mother/personalId")
        _ = fields.date("/mother/dateOfBirth")
        guard fields.problems.isEmpty, let name, let dateOfBirth, let sex, let motherID else { return .invalid(fields.problems) }
        guard dateOfBirth <= today else {
            return .accepted(.rejected([Self.reason("/child/dateOfBirth", "business-rule", "the date of birth \(dateOfBirth) is in the future")]),
                             issue: { _ in })
        }
        let centurySex = (dateOfBirth.year >= 2000 ? 2 : 0) + (sex == "female" ? 1 : 0)
        let serial = String(random.value("personal-id", key) % 1_000_000)
        let personalID = String(motherID.prefix(3)) + String(centurySex) + String(String(dateOfBirth.year).suffix(2))
            + String(repeating: "0", count: 6 - serial.count) + serial
        let result: JSONValue = [
            "certificateNo": .string(number("KS", key)), "registrationBook": .string("Sổ đăng ký khai sinh \(today.year)/01"),
            "registeredAt": .string(Timestamp.now().description), "personalId": .string(personalID),
            "fullName": .string(name), "dateOfBirth": .string(dateOfBirth.description),
        ]
        return .accepted(.completed(result), issue: { $0.personalIDs[personalID] = (name, dateOfBirth.description) })
    }

    private func death(_ fields: inout FieldCheck, key: String) -> Verdict {
        for pointer in ["/deceased/fullName", "/deceased/placeOfDeath", "/declarant/fullName", "/declarant/relation"] { _ = fields.string(pointer) }
        _ = fields.personalID("/deceased/personalId")
        _ = fields.personalID("/declarant/personalId")
        let born = fields.date("/deceased/dateOfBirth")
        let died = fields.date("/deceased/dateOfDeath")
        guard fields.problems.isEmpty, let born, let died else { return .invalid(fields.problems) }
        if died < born {
            return .accepted(.rejected([Self.reason("/deceased/dateOfDeath", "business-rule",
                                                    "the date of death \(died) is before the date of birth \(born)")]), issue: { _ in })
        }
        if died > today {
            return .accepted(.rejected([Self.reason("/deceased/dateOfDeath", "business-rule", "the date of death is in the future")]),
                             issue: { _ in })
        }
        let certificate = number("KT", key)
        return .accepted(.completed(["certificateNo": .string(certificate), "registeredAt": .string(Timestamp.now().description)]),
                         issue: { $0.deathCertificates.insert(certificate) })
    }

    private func maritalStatus(_ fields: inout FieldCheck, key: String) -> Verdict {
        _ = fields.string("/person/fullName")
        _ = fields.personalID("/person/personalId")
        _ = fields.string("/purpose")
        guard fields.problems.isEmpty else { return .invalid(fields.problems) }
        let age = hints["confirmationAgeDays"]?.intValue ?? 0
        // A confirmation is valid for six months from the day it was issued.
        let validUntil = today.adding(days: 180 - age)
        let confirmation = number("XNTT", key)
        let status = random.fraction("marital", key) < 0.5 ? "married" : "single"
        return .accepted(.completed(["confirmationNo": .string(confirmation), "maritalStatus": .string(status),
                                     "validUntil": .string(validUntil.description)]),
                         issue: { $0.confirmations[confirmation] = validUntil })
    }

    private func healthCard(_ fields: inout FieldCheck, key: String) -> Verdict {
        let personalID = fields.personalID("/holder/personalId")
        _ = fields.string("/holder/fullName")
        _ = fields.date("/holder/dateOfBirth")
        _ = fields.string("/birthCertificateNo")
        _ = fields.string("/residenceAddress")
        guard fields.problems.isEmpty, let personalID else { return .invalid(fields.problems) }
        guard let registered = issued.personalIDs[personalID] else {
            return .accepted(.rejected([Self.reason("/holder/personalId", "business-rule",
                                                    "this personal ID was not issued by the civil registry")]), issue: { _ in })
        }
        var holderName = registered.fullName
        var dateOfBirth = registered.dateOfBirth
        switch hints["discrepancy"]?.stringValue {
        case "holderName": holderName = Self.misspell(holderName)
        case "dateOfBirth": dateOfBirth = CalendarDate(dateOfBirth).map(Self.nextDay)?.description ?? dateOfBirth
        default: break
        }
        let born = CalendarDate(registered.dateOfBirth) ?? today
        let validTo = CalendarDate(year: born.year + 6, month: born.month, day: min(born.day, 28))
        let result: JSONValue = [
            "cardNo": .string("TE1" + String(personalID.prefix(2)) + String(personalID.suffix(10))),
            "holderName": .string(holderName), "dateOfBirth": .string(dateOfBirth),
            "validFrom": .string(born.description), "validTo": .string(validTo.description),
            "hospitalCode": .string(String(personalID.prefix(3)).dropFirst().description + "-" + String(random.integer(100...999, "hospital", key))),
        ]
        return .accepted(.completed(result), issue: { _ in })
    }

    private func funeralAllowance(_ fields: inout FieldCheck, key: String) -> Verdict {
        _ = fields.personalID("/deceased/personalId")
        _ = fields.string("/deceased/fullName")
        _ = fields.string("/deceased/socialInsuranceNo")
        let certificate = fields.string("/deathCertificateNo")
        for pointer in ["/claimant/fullName", "/claimant/relation", "/claimant/bankAccount"] { _ = fields.string(pointer) }
        _ = fields.personalID("/claimant/personalId")
        guard fields.problems.isEmpty, let certificate else { return .invalid(fields.problems) }
        guard issued.deathCertificates.contains(certificate) else {
            return .accepted(.rejected([Self.reason("/deathCertificateNo", "business-rule",
                                                    "no death was registered under this certificate number")]), issue: { _ in })
        }
        // Ten times the base salary (2,340,000 VND since July 2024), per the Social Insurance Law.
        return .accepted(.completed(["decisionNo": .string(number("QĐ-BHXH", key)), "amountVnd": 23_400_000]), issue: { _ in })
    }

    private func registration(_ fields: inout FieldCheck, key: String) -> Verdict {
        for pointer in ["/kind", "/transferor/fullName", "/transferee/fullName", "/parcel/address", "/parcel/certificateNo"] {
            _ = fields.string(pointer)
        }
        _ = fields.personalID("/transferor/personalId")
        _ = fields.personalID("/transferee/personalId")
        let sheet = fields.string("/parcel/mapSheetNo")
        let parcel = fields.string("/parcel/parcelNo")
        _ = fields.number("/parcel/areaM2")
        let confirmation = fields.string("/maritalStatusConfirmationNo")
        guard fields.problems.isEmpty, let sheet, let parcel, let confirmation else { return .invalid(fields.problems) }
        var reasons: [JSONValue] = []
        if let validUntil = issued.confirmations[confirmation] {
            if validUntil < today {
                reasons.append(Self.reason("/maritalStatusConfirmationNo", "business-rule",
                                           "the marital-status confirmation expired on \(validUntil); ask for a new one"))
            }
        } else {
            reasons.append(Self.reason("/maritalStatusConfirmationNo", "business-rule", "the civil registry issued no such confirmation"))
        }
        if !parcels.contains(sheet + "/" + parcel) {
            reasons.append(Self.reason("/parcel", "business-rule", "no parcel \(parcel) on map sheet \(sheet) in the land register"))
        }
        guard reasons.isEmpty else { return .accepted(.rejected(reasons), issue: { _ in }) }
        return .accepted(.completed(["registrationNo": .string(number("ĐK", key)), "certificateNo": .string(number("CT", key, digits: 8)),
                                     "registeredAt": .string(Timestamp.now().description)]), issue: { _ in })
    }

    /// A plausible clerk's slip in a name: the last word loses its diacritics.
    static func misspell(_ name: String) -> String {
        var words = name.split(separator: " ").map(String.init)
        guard let last = words.popLast() else { return name + " X" }
        let plain = String(String.UnicodeScalarView(last.decomposedScalars.filter { !$0.properties.isDiacritic }))
        words.append(plain == last ? last + "h" : plain)
        return words.joined(separator: " ")
    }

    static func nextDay(_ date: CalendarDate) -> CalendarDate {
        date.adding(days: 1)
    }
}

extension String {
    /// Unicode scalars after canonical decomposition (NFD), so diacritics can be removed.
    var decomposedScalars: [Unicode.Scalar] {
        Array(decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}
