@testable import Interlink
import InterlinkSim
import Testing

/// The scanner reads a register page's keys and codes without the parser when they are plain
/// ASCII, and walks the items once. These check it against the parser.
@Suite("JSONScanner: keys, strings and items read as the parser reads them")
struct JSONScannerTests {
    /// On random strings (escapes, quotes, control bytes, high bytes valid and not), `string`
    /// gives what the parser gives, and nothing where the parser refuses.
    @Test func readsAStringAsTheParserDoes() {
        let alphabet: [UInt8] = Array("aZ09 -:.".utf8) + [0x5C, 0x22, 0x75, 0x6E, 0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0x80, 0xFF, 0xE1, 0xBB, 0x85]
        var generator = SeededGenerator(seed: 1_537)
        var plain = 0
        for _ in 0..<20_000 {
            let inner = (0..<Int(generator.next() % 10)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let bytes = [0x22] + inner + [0x22]
            let scanner = JSONScanner(bytes)
            // Only a whole string is asked for: the scanner's own end of the string must be the end.
            guard scanner.endOfValue(0) == bytes.count else { continue }
            let expected = (try? JSONParser.parse(bytes))?.stringValue
            #expect(scanner.string(0..<bytes.count) == expected, "\(bytes)")
            if expected != nil && inner.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }) { plain += 1 }
        }
        #expect(plain > 1_000)
        #expect(JSONScanner(Array("12".utf8)).string(0..<2) == nil)
    }

    /// Escaped keys and codes are read through the parser; whitespace and entries that are not
    /// objects do not throw the walk off, and each keeps its own extent.
    @Test func walksAPageOfEveryShapeOnce() throws {
        let page = #" { "items" : [ { "co\u0064e" : "C\u00e91" , "version" : 2 , "updatedAt" : "2025-11-20T01:00:00.000Z" } ,"#
            + #" 7 , "text" , [ 1 , { } ] , { "code" : "K" , "version" : 1 , "updatedAt" : "2025-11-20T01:00:01.000Z" } ] , "next" : null } "#
        var asked: [String] = []
        let parsed = try RegisterPageParser.parsePage(Array(page.utf8)) { code, version in
            asked.append("\(code)/\(version)")
            return code == "K"
        }
        #expect(asked == ["Cé1/2", "K/1"])
        #expect(parsed.skipped == 1 && parsed.items.count == 4)
        #expect(parsed.lastPosition == RegisterCursor(updatedSince: "2025-11-20T01:00:01.000Z", afterCode: "K"))
        for (index, item) in parsed.items.enumerated() {
            guard case .malformed = item else { Issue.record("item \(index) should be malformed: \(item)"); continue }
        }
        let bareArray = JSONScanner(Array("[ 1 , [2,3] , {\"a\":[]} ]".utf8))
        var starts: [Int] = []
        #expect(bareArray.forEachElement(0) { starts.append($0); return bareArray.endOfValue($0) } == 24 && starts == [2, 6, 14])
        for broken in ["[1,", "[1 2]", "{\"items\":1}", "["] {
            let scanner = JSONScanner(Array(broken.utf8))
            #expect(scanner.forEachElement(0) { scanner.endOfValue($0) } == nil, "\(broken)")
        }
    }
}
