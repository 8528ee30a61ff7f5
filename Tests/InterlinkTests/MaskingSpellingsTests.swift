import Foundation
import Interlink
import InterlinkTestSupport
import Testing

/// Masking by provenance: a line about a dossier is checked against that dossier's own
/// values, so personal data leaks in no spelling. Shapes alone miss most of these.
@Suite("Masking in any spelling")
struct MaskingSpellingsTests {
    static let code = "H99.01-251120-0042"

    static let dossier: JSONValue = ["form": [
        "child": ["fullName": "Nguyễn Thị Mai", "dateOfBirth": "2019-03-15"],
        "mother": ["fullName": "Trần Thị Hoa", "personalId": "079225263305"],
        "claimant": ["bankAccount": "0451000123456"],
        "ethnicity": "Khmer", "religion": "Phật giáo", "residence": ["address": "Số 27, đường Lê Lợi"],
    ]]
    static let result: JSONValue = ["certificateNo": "KS-2026-000123", "personalId": "096225934348"]

    /// Each spelling, as it might appear in an agency's reason, a 500 body or a discrepancy diff.
    static let spellings = [
        "Nguyễn Thị Mai", "nguyễn thị mai", "NGUYỄN THỊ MAI", "Nguyen Thi Mai", "nguyen thi mai", "NGUYEN THI MAI", "Nguyễn  Thị\tMai",
        "mai", "Mai, Nguyễn Thị", "Trần Thị Hoa", "tran thi hoa",
        "079225263305", "079225.263305", "079 225 263 305", "079-225-263-305", "0792 2526 3305", "ID:079225263305",
        "2019-03-15", "15/03/2019", "15.03.2019", "15-03-2019", "15/3/2019", "20190315",
        "0451000123456", "0451 000 123 456", "KS-2026-000123", "ks-2026-000123", "096225934348", "096.225.934.348",
        "khmer", "KHMER", "Phật giáo", "phat giao", "Số 27, đường Lê Lợi", "so 27 duong le loi",
        #"{"error":"không tìm thấy công dân nguyễn thị mai"}"#, #"holderName: "Nguyen Thi Mai" ≠ "Nguyễn Thị Mai""#,
    ]

    /// Whether `output` still holds the value `spelling` wrote, in its letters or its digits.
    static func leaks(_ spelling: String, in output: String) -> Bool {
        let digits = spelling.filter(\.isNumber)
        if digits.count >= 6, output.filter(\.isNumber).contains(digits) { return true }
        let letters = spelling.lowercased().filter(\.isLetter)
        return letters.count >= 3 && output.lowercased().filter(\.isLetter).contains(letters)
    }

    @Test func noSpellingOfADossiersValuesLeaksIntoItsLogLines() {
        PersonalValues.shared.remember(Self.code, Self.dossier)
        PersonalValues.shared.remember(Self.code, Self.result)
        let sink = MemoryLogSink()
        let logger = Logger(level: .debug, sink: sink)
        for spelling in Self.spellings {
            logger.info("the agency said: \(spelling)", LogContext(dossier: Self.code, extra: ["body": .string(spelling)]))
        }
        let leaked = zip(Self.spellings, sink.lines).filter { Self.leaks($0, in: $1.replacing(Self.code, with: "")) }
        #expect(Self.spellings.count == 37)
        #expect(leaked.isEmpty, "leaked: \(leaked.map(\.0))")
        let shapesOnly = Self.spellings.filter { Self.leaks($0, in: PersonalDataMasker.mask($0)) }
        #expect(shapesOnly.count == 13, "the shapes alone miss 13 of 37 spellings: \(shapesOnly)")
        // Ordinary words around the values stay readable.
        #expect(sink.lines[0].contains("the agency said"))
    }

    @Test func aLineAboutAnotherDossierIsNotMaskedByThisOnesValues() {
        PersonalValues.shared.remember(Self.code, Self.dossier)
        let sink = MemoryLogSink()
        Logger(level: .debug, sink: sink).info("khmer", LogContext(dossier: "H99.01-251120-0043"))
        #expect(sink.lines[0].contains("\"msg\":\"khmer\""))
    }

    /// The registry holds the dossiers in use, not every dossier ever seen: memory stays flat
    /// on a backlog of any size, and the one in use keeps its values.
    @Test func theRegistryForgetsTheLeastRecentlyUsedDossiers() throws {
        let registry = PersonalValues(capacity: 20)
        for index in 0..<20 { registry.remember("D\(index)", ["fullName": .string("Lê Văn Số\(index)")], source: "dossier v1") }
        // D0 was stored first but is in use: a request for it reads its needles.
        #expect(registry.needles(for: "D0") != nil)
        registry.remember("D20", ["fullName": "Lê Văn Mới"], source: "dossier v1")
        #expect(registry.count <= 20)
        #expect(registry.needles(for: "D0") != nil, "the dossier in use is kept")
        #expect(registry.needles(for: "D1") == nil, "the least recently used is forgotten first")
        let kept = try #require(registry.needles(for: "D20"))
        #expect(kept.mask("gửi cho LE VAN MOI hôm nay") == "gửi cho [masked] hôm nay")
        // Forgotten, then handed over again by the next request: masked again.
        registry.remember("D1", ["personalId": "079225263305"], source: "dossier v1")
        #expect(try #require(registry.needles(for: "D1")).mask("id 079 225 263 305") == "id [id]")
    }

    @Test func theShapesCatchGroupedIDsAndDottedDatesWithoutProvenance() {
        #expect(PersonalDataMasker.mask("id 079225.263305 and 072 225 643 042, born 15.03.2019") == "id [id] and [id], born [date]")
        #expect(PersonalDataMasker.mask("dossier H12.22-251120-0001 v1") == "dossier H12.22-251120-0001 v1", "dossier codes stay readable")
    }

    /// The configured fields are process-wide, and tests that load a config (the example's
    /// `privacy` names `tenChuHo`) set them while this one runs: so a name no config uses.
    @Test func configuredFieldsAreMaskedByName() {
        defer { PersonalDataMasker.configure(personalFields: []) }
        #expect(PersonalDataMasker.mask(["householdHead": "x y"]) == ["householdHead": "[masked]"], "a default")
        #expect(PersonalDataMasker.mask(["tenNguoiLamChung": "x"]) == ["tenNguoiLamChung": "x"])
        PersonalDataMasker.configure(personalFields: ["tenNguoiLamChung"])
        #expect(PersonalDataMasker.mask(["tenNguoiLamChung": "x"]) == ["tenNguoiLamChung": "[masked]"])
    }
}

/// The message catalog explains every MESSAGE_ID interlinkd sends.
@Suite("Journal message catalog")
struct JournalCatalogTests {
    @Test func everyMessageIDIsInTheCatalog() throws {
        let catalog = try String(contentsOfFile: Executables.packageRoot + "/systemd/interlink.catalog", encoding: .utf8)
        for (_, id, subject) in JournalMessageID.all {
            #expect(catalog.contains("-- \(id)\nSubject: \(subject)\n"), "\(id) missing from systemd/interlink.catalog")
        }
        #expect(Set(JournalMessageID.all.map(\.id)).count == JournalMessageID.all.count, "IDs are unique")
    }
}
