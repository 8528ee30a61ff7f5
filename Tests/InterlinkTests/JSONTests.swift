import Interlink
import InterlinkSim
import InterlinkTestSupport
import Testing

@Suite("JSON parser and writer")
struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a":[1,-2.5,1e3,true,false,null],"b":{"c":"d\u00e9\n\ud83d\ude00"}}"#)
        #expect(value["a"] == [1, -2.5, 1000, true, false, nil])
        #expect(value["b"]?["c"] == "dé\n😀")
    }

    @Test func writesSortedKeysAndIntegersWithoutFractions() {
        let value: JSONValue = ["b": 2, "a": [1.5, "x\"y"], "c": nil]
        #expect(JSONWriter.string(value) == #"{"a":[1.5,"x\"y"],"b":2,"c":null}"#)
    }

    @Test func escapesControlCharactersSoNoLineCanBeForged() {
        let text = JSONWriter.string(.string("a\r\nb\u{0}c\u{7f}"))
        #expect(text == #""a\r\nb\u0000c\u007f""#)
        #expect(!text.contains("\n"))
    }

    /// Strings of every troublesome byte (quotes, backslashes, controls, DEL) among plain and
    /// non-ASCII text come back the same, and no raw control byte reaches the output.
    @Test func everyStringRoundTripsEscaped() throws {
        var generator = SeededGenerator(seed: 7)
        let pieces = ["a", "Nguyễn", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "/", " ", "é"]
        for _ in 0..<2_000 {
            let text = (0..<Int(generator.next() % 12)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let bytes = JSONWriter.bytes(["k": .string(text), "a": [.string(text)]])
            #expect(!bytes.contains { $0 < 0x20 || $0 == 0x7F })
            #expect(try JSONParser.parse(bytes) == ["k": .string(text), "a": [.string(text)]])
        }
        #expect { try JSONParser.parse(#"{"a":1,"b":{},"a":2}"#) } throws: { ($0 as? JSONParseError).map { $0.offset == 14 && $0.reason == #"duplicate key "a""# } == true }
    }

    @Test func roundTripsThroughTheWriter() throws {
        let original: JSONValue = ["name": "Nguyễn Thị Mai", "n": 12, "nested": ["deep": [true, nil, 0.25]]]
        #expect(try JSONParser.parse(JSONWriter.bytes(original)) == original)
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, "duplicate key"),
        (#"[1,2"#, "unexpected end"),
        (#"{"a":01}"#, "expected ','"),
        (#"[1] x"#, "after the JSON value"),
        (#""\ud800""#, "unpaired surrogate"),
        ("\"tab\there\"", "control character"),
        (#"[nul]"#, "invalid literal"),
        (#"1e999"#, "out of range"),
    ])
    func refusesMalformedInput(text: String, reason: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.reason.contains(reason) == true
        }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        // Overlong, a surrogate, past U+10FFFF, a sequence cut short (one U+FFFD would repair
        // it to as many bytes), a lone continuation byte; with and without an escape before.
        for invalid: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x90, 0x80], [0x80], [0xE1, 0xBB]] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22] + invalid + [0x22]) }
            #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E] + invalid + [0x22]) }
        }
    }

    /// Strings are checked as the standard library's validating initializer checks them, on
    /// random bytes: valid exactly when it accepts them, and then the same text.
    @Test func acceptsExactlyValidUTF8() throws {
        var generator = SeededGenerator(seed: 18)
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 8) + 1
            let bytes = (0..<length).map { _ -> UInt8 in
                // High bytes mostly, so multi-byte sequences valid and not are both common; no quote, backslash or control byte.
                let byte = UInt8(truncatingIfNeeded: generator.next())
                return byte < 0x80 ? UInt8(ascii: "a") + byte % 26 : byte
            }
            let reference = String(validating: bytes, as: UTF8.self)
            let parsed = try? JSONParser.parse([0x22] + bytes + [0x22])
            #expect(parsed == reference.map(JSONValue.string), "\(bytes)")
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        #expect(throws: Never.self) { try JSONParser.parse(deep, maxDepth: 200) }
    }
}

/// Hex digits as hashes, keys and percent-encoding write them, and back.
@Suite("Hex digits")
struct HexTests {
    @Test func bytesRoundTripInEitherCase() {
        let bytes: [UInt8] = [0x00, 0x0F, 0x10, 0x7F, 0xA5, 0xFF]
        #expect(Hex.string(bytes) == "000f107fa5ff")
        #expect(Hex.string(bytes, uppercase: true) == "000F107FA5FF")
        #expect(Hex.string([]) == "")
        #expect(Hex.bytes("000F107fa5ff") == bytes)
        #expect(Hex.bytes("0g") == nil)
        #expect(Hex.bytes("abc") == nil)
    }
}
