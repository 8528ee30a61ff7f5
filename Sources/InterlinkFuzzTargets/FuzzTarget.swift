import Interlink

/// The entry points `make fuzz` drives with libFuzzer, and the regression tests replay.
///
/// Each takes arbitrary bytes, must never crash or hang on them, and checks the invariants a
/// caller relies on: a crash (a trap or a failed `precondition`) is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The HTTP server's request parser, on a connection's accumulated bytes.
    case httpRequest = "http-request"
    /// The configuration reader, on a config file's bytes.
    case config
    /// Payload templates and JSON Pointers: `<template JSON> NUL <document JSON>`.
    case template
    /// `--since`/`--until` values, as operators type them.
    case timeFilter = "time-filter"
    /// Secret files' bytes.
    case secret
    /// The personal-data masker, on log text.
    case masker

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .httpRequest: Self.fuzzHTTPRequest(bytes)
        case .config: Self.fuzzConfig(bytes)
        case .template: Self.fuzzTemplate(bytes)
        case .timeFilter: Self.fuzzTimeFilter(bytes)
        case .secret: Self.fuzzSecret(bytes)
        case .masker: Self.fuzzMasker(bytes)
        }
    }

    static func fuzzTimeFilter(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let stamp = TimeFilter.parse(text, now: Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)) else { return }
        // Whatever was accepted must print: an instant out of range would trap later, in a query or a log line.
        _ = stamp.description
    }

    static func fuzzSecret(_ bytes: [UInt8]) {
        guard case .success(let secret) = Secret.parse(bytes, source: "fuzz") else { return }
        precondition(!secret.value.isEmpty, "an accepted secret is never empty")
        precondition(!secret.value.unicodeScalars.contains { $0.properties.generalCategory == .control },
                     "an accepted secret holds no control character: it goes into header lines")
        precondition(!"\(secret)".contains(secret.value) || secret.value.count < 4 || "[secret from fuzz]".contains(secret.value),
                     "a secret never prints")
    }

    static func fuzzMasker(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let masked = PersonalDataMasker.mask(text)
        precondition(PersonalDataMasker.mask(masked) == masked, "masking is idempotent: a masked line stays as it is")
    }

    static func fuzzHTTPRequest(_ bytes: [UInt8]) {
        for limits in [HTTPServerLimits(), HTTPServerLimits(maxHeaderBytes: 64, maxBodyBytes: 16)] {
            var buffer = bytes
            // Pipelined requests are parsed one after another from what the last one left.
            while case .complete(let request, let consumed, _) = HTTPRequestParser.parse(buffer, limits: limits) {
                precondition(consumed > 0 && consumed <= buffer.count, "a parsed request must consume some of the buffer, never more")
                precondition(request.body.count <= limits.maxBodyBytes, "a body over the limit must be refused")
                buffer.removeFirst(consumed)
            }
        }
        _ = HTTPRequestParser.percentDecode(Substring(decoding: bytes, as: UTF8.self))
    }

    static func fuzzConfig(_ bytes: [UInt8]) {
        guard let json = try? JSONParser.parse(bytes) else { return }
        do {
            _ = try InterlinkConfig.parse(json, file: "fuzz.json", configDirectory: "/nonexistent", environment: [:])
        } catch {
            // Refused: it must say where and why, as an operator reads it.
            precondition(!error.issues.isEmpty, "a refused config must name at least one problem")
            _ = error.description
        }
    }

    static func fuzzTemplate(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
        let templateBytes = bytes[..<split]
        let documentBytes = split < bytes.endIndex ? bytes[(split + 1)...] : []
        let document = (try? JSONParser.parse(documentBytes)) ?? .null
        if let pointer = try? JSONPointer(String(decoding: templateBytes, as: UTF8.self)) {
            _ = pointer.resolve(in: document)
            precondition((try? JSONPointer(pointer.description)) == pointer, "a pointer must survive printing and parsing")
        }
        guard let json = try? JSONParser.parse(templateBytes) else { return }
        var issues: [ConfigIssue] = []
        let template = PayloadTemplate.parse(json, at: JSONPointer(tokens: []), issues: &issues)
        guard issues.isEmpty else { return }
        _ = template.dossierReferences
        if let rendered = try? template.render(dossier: document, stepResults: ["birth": document]) {
            // What is sent must be JSON the agency can read back.
            precondition((try? JSONParser.parse(JSONWriter.bytes(rendered))) != nil, "a rendered body must be valid JSON")
        }
    }
}
