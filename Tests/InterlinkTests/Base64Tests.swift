import Interlink
import Testing

/// HTTP Basic credentials are encoded by the daemon's own Base64.
@Suite("Base64")
struct Base64Tests {
    @Test func encodesRFC4648sTestVectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (text, encoded) in vectors {
            #expect(Base64.encode(Array(text.utf8)) == encoded, "\(text)")
        }
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/", "the last two letters of the alphabet")
        #expect(Base64.encode("Trần:mật khẩu".utf8) == "VHLhuqduOm3huq10IGto4bqpdQ==")
    }
}
