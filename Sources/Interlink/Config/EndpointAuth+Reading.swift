extension EndpointAuth {
    /// The auth scheme of an endpoint's `auth` object; each mistake reported at its JSON path.
    init(reading object: ConfigObjectReader?, secrets: SecretResolver, collector: IssueCollector) {
        guard let object else {
            self = .none
            return
        }
        defer { object.finish() }
        let reader = SchemeReader(object: object, secrets: secrets, collector: collector)
        switch object.string("type") {
        case "bearer": self = reader.secret("tokenFile").map(EndpointAuth.bearer) ?? .none
        case "api-key":
            let header = reader.headerName("header")
            guard let key = reader.secret("keyFile"), let header else { self = .none; return }
            self = .apiKey(header: header, key: key)
        case "basic":
            let username = object.string("username")
            if let username, username.isEmpty || username.contains(":") { object.report("username", "must be non-empty and hold no ':'") }
            guard let password = reader.secret("passwordFile"), let username else { self = .none; return }
            self = .basic(username: username, password: password)
        case "key-pair":
            let accessHeader = reader.headerName("accessKeyHeader"), secretHeader = reader.headerName("secretKeyHeader")
            guard let accessKey = reader.secret("accessKeyFile"), let secretKey = reader.secret("secretKeyFile"),
                  let accessHeader, let secretHeader else { self = .none; return }
            self = .keyPair(accessHeader: accessHeader, accessKey: accessKey, secretHeader: secretHeader, secretKey: secretKey)
        case "hmac": self = reader.hmac().map(EndpointAuth.hmac) ?? .none
        case "oauth2-client-credentials": self = reader.oauth2().map(EndpointAuth.oauth2) ?? .none
        case "session": self = reader.session().map(EndpointAuth.session) ?? .none
        case "none", nil: self = .none
        case .some:
            object.report("type", "must be one of: none, bearer, api-key, basic, key-pair, hmac, oauth2-client-credentials, session")
            self = .none
        }
    }
}

/// Reads the members of one auth object.
private struct SchemeReader {
    let object: ConfigObjectReader
    let secrets: SecretResolver
    let collector: IssueCollector

    /// A required secret, read only from a file (or a systemd credential) named by `key`.
    func secret(_ key: String) -> Secret? {
        guard let file = object.string(key) else { return nil }
        return secrets.read(file, at: object.path.appending(key), collector: collector)
    }

    /// A header name, reported at its JSON path when it cannot be one.
    func headerName(_ key: String, default fallback: String? = nil) -> String? {
        let header = fallback == nil ? object.string(key) : (object.optionalString(key) ?? fallback)
        if let header, !AgencyDialect.isHeaderName(header) { object.report(key, "not a valid HTTP header name") }
        return header
    }

    func path(_ key: String) -> String? {
        let path = object.string(key)
        if let path, !path.hasPrefix("/") || path.contains(where: \.isWhitespace) { object.report(key, "must be a path starting with '/'") }
        return path
    }

    func hmac() -> HMACSigning? {
        let keyID = object.string("keyId")
        let keyIDHeader = headerName("keyIdHeader", default: "X-Key-Id")
        let signatureHeader = headerName("signatureHeader", default: "X-Signature")
        let timestampHeader = headerName("timestampHeader", default: "X-Timestamp")
        guard let secret = secret("secretFile"), let keyID, let keyIDHeader, let signatureHeader, let timestampHeader else { return nil }
        return HMACSigning(keyID: keyID, keyIDHeader: keyIDHeader, secret: secret, signatureHeader: signatureHeader, timestampHeader: timestampHeader)
    }

    func oauth2() -> OAuth2ClientCredentials? {
        let endpoint = object.requiredObject("tokenEndpoint").flatMap { EndpointConfig(reading: $0, secrets: secrets, collector: collector) }
        let tokenPath = path("tokenPath")
        let clientID = object.string("clientId")
        let scope = object.optionalString("scope")
        guard let clientSecret = secret("clientSecretFile"), let endpoint, let tokenPath, let clientID else { return nil }
        return OAuth2ClientCredentials(tokenEndpoint: endpoint, tokenPath: tokenPath, clientID: clientID, clientSecret: clientSecret, scope: scope)
    }

    func session() -> SessionLogin? {
        let loginPath = path("loginPath")
        let username = object.string("username")
        let usernameField = object.optionalString("usernameField") ?? "username"
        let passwordField = object.optionalString("passwordField") ?? "password"
        let pointer = AgencyDialect.pointer(object, "tokenPointer")
        if !object.has("tokenPointer") { object.report("tokenPointer", "required field is missing") }
        let header = object.has("header") ? headerName("header") : nil
        let prefix = object.optionalString("prefix") ?? ""
        let bodyField = object.optionalString("bodyField")
        if (header == nil) == (bodyField == nil) { object.report("carry the session token in exactly one of header and bodyField") }
        guard let password = secret("passwordFile"), let loginPath, let username, let pointer else { return nil }
        return SessionLogin(loginPath: loginPath, username: username, password: password, usernameField: usernameField,
                            passwordField: passwordField, tokenPointer: pointer, header: header, prefix: prefix, bodyField: bodyField)
    }
}
