import Interlink
import InterlinkTestSupport
import Testing

@Suite("Masking logger")
struct LoggingTests {
    /// Canary personal data from the fixtures: none of it may reach a log line.
    static let canaries = ["Nguyễn Thị Mai", "096196004583", "1996-04-18", "Trần Minh Khang", "NGUYỄN VĂN AN"]

    func line(_ message: String, _ context: LogContext = LogContext()) -> String {
        let sink = MemoryLogSink()
        Logger(level: .debug, sink: sink).warning(message, context)
        return sink.lines.joined()
    }

    @Test func masksPersonalDataInTheMessageAndEveryField() throws {
        let text = line("agency said: holder Nguyễn Thị Mai (096196004583) born 1996-04-18 differs from Trần Minh Khang",
                        LogContext(dossier: "H12.22-251120-0001", step: "health-card", agency: "insurance",
                                   extra: ["reason": "NGUYỄN VĂN AN", "fullName": "x", "personalId": 96196004583,
                                           "nested": ["dateOfBirth": "whatever", "note": "id 123456789"]]))
        for canary in Self.canaries { #expect(!text.contains(canary), "\(canary) leaked: \(text)") }
        #expect(!text.contains("123456789"))
        #expect(!text.contains("96196004583"))
        #expect(text.contains("H12.22-251120-0001"))
        #expect(text.contains("[name]") && text.contains("[id]") && text.contains("[date]"))
    }

    @Test func writesOneJSONObjectPerLineWithTheJournaldPriority() throws {
        let text = line("retrying", LogContext(dossier: "D1", transfer: 7, attempt: 3, httpStatus: 503, durationMs: 12))
        #expect(text.hasPrefix("<4>{"))
        let object = try JSONParser.parse(String(text.dropFirst(3)))
        #expect(object["level"] == "warning")
        #expect(object["msg"] == "retrying")
        #expect(object["http_status"] == 503)
        #expect(object["transfer"] == 7)
        #expect(object["ts"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) != nil)
    }

    @Test func escapesLineBreaksSoNoLineCanBeForged() {
        let text = line("bad\nnews", LogContext(extra: ["reason": "x\r\n<3>{\"msg\":\"forged\"}"]))
        #expect(!text.contains("\n") && !text.contains("\r"))
    }

    @Test func neverWritesCredentials() {
        let text = line("sent Authorization: Bearer s3cr3t-token", LogContext(extra: ["token": "abc", "Authorization": "Bearer zzz"]))
        #expect(!text.contains("s3cr3t-token") && !text.contains("abc") && !text.contains("zzz"))
    }

    @Test func masksTheFormsTheReviewFound() {
        let masked = PersonalDataMasker.mask("sinh ngày 15/03/2019, 5-3-2019 hoặc 15.03.2019; DOB 2019-03-15T00:00:00+07:00; "
                                             + "tên Nguyễn\u{00A0}Thị  Mai-Anh; Authorization: Basic dXNlcjpwYXNz")
        for leaked in ["15/03/2019", "5-3-2019", "15.03.2019", "2019-03-15T00", "Nguyễn", "Mai-Anh", "dXNlcjpwYXNz"] {
            #expect(!masked.contains(leaked), "\(leaked) in \(masked)")
        }
        let fields = PersonalDataMasker.mask(["accessToken": "abc", "client_secret": "def", "holder": ["personalId": 96196004583, "n": 42]])
        #expect(fields["accessToken"] == "[secret]" && fields["client_secret"] == "[secret]")
        #expect(fields["holder"]?["personalId"] == "[masked]")
        #expect(PersonalDataMasker.mask(["id": 96196004583]) == ["id": "[id]"])
        #expect(PersonalDataMasker.mask(["n": 42]) == ["n": 42])
    }

    @Test func keepsOrdinaryOperationalText() {
        #expect(PersonalDataMasker.mask("circuit opened for land after 5 failures; Idempotency-Key reused")
            == "circuit opened for land after 5 failures; Idempotency-Key reused")
        #expect(PersonalDataMasker.mask("at 2025-11-20T02:15:03.120Z") == "at 2025-11-20T02:15:03.120Z")
        #expect(PersonalDataMasker.mask("v1.2.3 and 3.5 s, 10/20 done") == "v1.2.3 and 3.5 s, 10/20 done")
    }

    @Test func honoursTheLevelThreshold() {
        let sink = MemoryLogSink()
        let logger = Logger(level: .notice, sink: sink)
        logger.info("hidden")
        logger.error("shown")
        logger.setLevel(.debug)
        logger.debug("shown too")
        #expect(sink.lines.count == 2)
    }
}

@Suite("Timestamps and dates")
struct TimestampTests {
    @Test func formatsAndParsesRFC3339() {
        let stamp = Timestamp(rfc3339: "2025-11-20T02:15:03.120Z")
        #expect(stamp?.description == "2025-11-20T02:15:03.120Z")
        #expect(Timestamp(rfc3339: "2025-11-20T09:15:03+07:00")?.description == "2025-11-20T02:15:03.000Z")
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.9999Z")?.description == "2024-02-29T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(rfc3339: "2025-02-30T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "yesterday") == nil)
    }

    @Test func validatesCalendarDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2025-13-01") == nil)
        #expect(CalendarDate("2025-1-01") == nil)
    }
}
