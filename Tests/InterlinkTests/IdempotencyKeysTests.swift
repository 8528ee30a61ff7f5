import Testing
@testable import Interlink

/// Keys name what a request asks, so a repeat after a crash, a new version or a lost journal
/// is recognised by the agency, and a changed request is not.
@Suite("Idempotency keys derived from content")
struct IdempotencyKeysTests {
    let body = Array(#"{"dossierCode":"A","child":{"fullName":"Nguyễn Văn An"}}"#.utf8)

    @Test func theSameRequestHasTheSameKeyWhateverTheVersion() {
        let first = IdempotencyKeys.push(stored: IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: "birth"), dossierCode: "A", step: "birth", body: body)
        let later = IdempotencyKeys.push(stored: IdempotencyKeys.transfer(dossierCode: "A", version: 3, step: "birth"), dossierCode: "A", step: "birth", body: body)
        #expect(first == later)
        #expect(first.hasPrefix("A:birth:") && first.count == "A:birth:".count + 32)
    }

    @Test func aChangedRequestOrAnotherStepHasANewKey() {
        let stored = IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: "birth")
        let key = IdempotencyKeys.push(stored: stored, dossierCode: "A", step: "birth", body: body)
        #expect(key != IdempotencyKeys.push(stored: stored, dossierCode: "A", step: "birth", body: body + [0x20]))
        #expect(key != IdempotencyKeys.push(stored: stored, dossierCode: "A", step: "card", body: body))
        #expect(key != IdempotencyKeys.push(stored: stored, dossierCode: "B", step: "birth", body: body))
    }

    /// A transfer sent before keys came from content keeps the key the agency already saw,
    /// and so does a replay an administrator asked to send with a new key.
    @Test func storedKeysOtherThanThePlaceholderAreSentAsTheyAre() {
        #expect(IdempotencyKeys.push(stored: "A:v1:birth", dossierCode: "A", step: "birth", body: body) == "A:v1:birth")
        let resend = IdempotencyKeys.resend(IdempotencyKeys.transfer(dossierCode: "A", version: 1, step: "birth"), generation: 1)
        #expect(resend == "A:v1:birth:resend-1")
        #expect(IdempotencyKeys.push(stored: resend, dossierCode: "A", step: "birth", body: body) == resend)
    }

    @Test func writeBackKeysFollowTheBodyAndTheVersion() {
        let key = IdempotencyKeys.writeBack(dossierCode: "A", version: 2, body: #"{"outcome":"completed"}"#)
        #expect(key == IdempotencyKeys.writeBack(dossierCode: "A", version: 2, body: #"{"outcome":"completed"}"#))
        #expect(key != IdempotencyKeys.writeBack(dossierCode: "A", version: 2, body: #"{"outcome":"failed"}"#))
        #expect(key != IdempotencyKeys.writeBack(dossierCode: "A", version: 3, body: #"{"outcome":"completed"}"#))
        #expect(key.count <= 255)
    }
}
