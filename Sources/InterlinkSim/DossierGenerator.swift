public import Interlink

/// Makes realistic dossiers in bulk for load, reproducible from a seed.
///
/// The mix, as `interlink-sim --help` states it: half birth group, a quarter death group, a
/// quarter land transfer. Of all dossiers, about 2% carry a future date of birth, 2% a death
/// before the birth, 2% an unknown parcel, 2% a stale marital-status confirmation, 3% an
/// insurance-card discrepancy, and 1% lack a required form field.
public struct DossierGenerator: Sendable {
    public enum Case: String, Sendable, CaseIterable {
        case ok, futureBirth, deathBeforeBirth, unknownParcel, staleConfirmation, discrepancy, missingField
    }

    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// `count` dossiers updated one millisecond apart from `start`, and the land parcels
    /// their land transfers need (unknown-parcel cases excepted).
    public func generate(count: Int, start: Timestamp = Timestamp(rfc3339: "2025-11-21T01:00:00.000Z")!) -> (dossiers: [FixtureDossier], parcels: [JSONValue]) {
        var generator = SeededGenerator(seed: seed)
        var dossiers: [FixtureDossier] = []
        var parcels: [JSONValue] = []
        dossiers.reserveCapacity(count)
        for index in 0..<count {
            let at = start.adding(milliseconds: Int64(index))
            let roll = Double.random(in: 0..<1, using: &generator)
            let kind = Double.random(in: 0..<1, using: &generator)
            var builder = GeneratedDossier(index: index, at: at, generator: generator)
            let fixture: FixtureDossier
            if kind < 0.5 {
                fixture = builder.birth(roll < 0.02 ? .futureBirth : roll < 0.05 ? .discrepancy : roll < 0.06 ? .missingField : .ok)
            } else if kind < 0.75 {
                fixture = builder.death(roll < 0.04 ? .deathBeforeBirth : roll < 0.05 ? .missingField : .ok)
            } else {
                let land: Case = roll < 0.08 ? .unknownParcel : roll < 0.16 ? .staleConfirmation : roll < 0.17 ? .missingField : .ok
                fixture = builder.land(land)
                if land != .unknownParcel, let parcel = fixture.dossier["form"]?["parcel"] { parcels.append(parcel) }
            }
            generator = builder.generator
            dossiers.append(fixture)
        }
        return (dossiers, parcels)
    }
}

/// Builds one generated dossier; consumes randomness from its own copy of the stream.
struct GeneratedDossier {
    typealias Vocabulary = GeneratorVocabulary
    let index: Int
    let at: Timestamp
    var generator: SeededGenerator
    let province: GeneratorVocabulary.Province

    init(index: Int, at: Timestamp, generator: SeededGenerator) {
        self.index = index
        self.at = at
        self.generator = generator
        province = Vocabulary.provinces[index % Vocabulary.provinces.count]
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &generator)] }
    mutating func digits(_ count: Int) -> String { (0..<count).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
    mutating func hex(_ count: Int) -> String { (0..<count).map { _ in String(Int.random(in: 0...15, using: &generator), radix: 16) }.joined() }

    mutating func name(female: Bool) -> String {
        let middle = female ? pick(Vocabulary.femaleMiddleNames) : pick(Vocabulary.maleMiddleNames)
        let given = female ? pick(Vocabulary.femaleGivenNames) : pick(Vocabulary.maleGivenNames)
        return "\(pick(Vocabulary.familyNames)) \(middle) \(given)"
    }

    /// A CCCD number: province code, century-and-sex digit, two digits of the birth year, six random digits.
    mutating func personalID(born: CalendarDate, female: Bool) -> String {
        let centurySex = (born.year >= 2000 ? 2 : 0) + (female ? 1 : 0)
        return province.personalIDCode + String(centurySex) + String(String(born.year).suffix(2)) + digits(6)
    }

    mutating func birthDate(years: ClosedRange<Int>) -> CalendarDate {
        at.utcDate.adding(days: -Int.random(in: years.lowerBound * 365...years.upperBound * 365, using: &generator))
    }

    mutating func address() -> String {
        "Số \(Int.random(in: 1...250, using: &generator)), đường \(pick(Vocabulary.streets)), \(pick(province.communes)), \(province.name)"
    }

    mutating func person(years: ClosedRange<Int>, female: Bool) -> (name: String, id: String, born: CalendarDate) {
        let born = birthDate(years: years)
        return (name(female: female), personalID(born: born, female: female), born)
    }

    mutating func envelope(procedure: String, procedureName: String, form: JSONValue, applicant: (name: String, id: String),
                           dueDays: Int, attachments: [String]) -> JSONValue {
        let received = at.adding(milliseconds: -Int64(Int.random(in: 60_000...3_600_000, using: &generator)))
        let date = at.utcDate
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let code = "G\(province.officePrefix.dropFirst()).\(two(index % 40 + 1))-\(two(date.year % 100))\(two(date.month))\(two(date.day))-"
            + String(repeating: "0", count: max(0, 6 - String(index).count)) + String(index)
        return [
            "code": .string(code), "version": 1, "procedureCode": .string(procedure), "procedureName": .string(procedureName),
            "status": "received", "receivedAt": .string(received.description), "updatedAt": .string(at.description),
            "dueAt": .string(received.adding(milliseconds: Int64(dueDays) * 86_400_000).description),
            "office": ["code": .string("\(province.officePrefix).\(two(index % 40 + 1)).\(index % 9 + 1)"),
                       "name": .string("UBND \(pick(province.communes))")],
            "applicant": ["fullName": .string(applicant.name), "personalId": .string(applicant.id),
                          "phone": .string("09" + digits(8)), "address": .string(address())],
            "form": form,
            "attachments": .array(attachments.enumerated().map { offset, name in
                ["id": .string("att-\(index)-\(offset)"), "name": .string(name), "mediaType": "application/pdf",
                 "size": .number(Double(Int.random(in: 90_000...600_000, using: &generator))), "sha256": .string(hex(64))]
            }),
        ]
    }

    static func removing(_ key: String, from form: JSONValue, in member: String) -> JSONValue {
        guard case .object(var members) = form, case .object(var inner) = members[member] ?? .null else { return form }
        inner[key] = nil
        members[member] = .object(inner)
        return .object(members)
    }
}
