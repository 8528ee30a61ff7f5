import CCurl

/// The state of one request while libcurl works on it. Confined to the curl thread;
/// libcurl's callbacks reach it through an unretained pointer while it is in the
/// loop's `active` table, which keeps it alive.
final class CurlTransfer {
    let pending: PendingRequest
    let easy: UnsafeMutableRawPointer
    var body: [UInt8] = []
    var headers = HTTPHeaders()
    var tooLarge = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its detailed message here; it must outlive the transfer.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(pending: PendingRequest, easy: UnsafeMutableRawPointer) {
        self.pending = pending
        self.easy = easy
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    var maxBytes: Int { pending.request.options.maxResponseBytes }

    /// Applies every option for this request. Returns a failure instead of starting when
    /// libcurl refuses an option (an unsupported URL scheme, say).
    func configure() -> HTTPClientError? {
        let request = pending.request
        let options = request.options
        let context = Unmanaged.passUnretained(self).toOpaque()
        var failure: CURLcode = CURLE_OK
        func check(_ code: CURLcode) { if failure == CURLE_OK, code != CURLE_OK { failure = code } }

        check(interlink_easy_setopt_string(easy, CURLOPT_URL, request.url))
        check(interlink_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(interlink_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check(interlink_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        check(interlink_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeoutMs))
        check(interlink_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, options.timeoutMs))
        check(interlink_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxResponseBytes)))
        check(interlink_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1))
        // Verification is not a setting: it is on for every request, TLS 1.2 at least.
        check(interlink_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        check(interlink_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        check(interlink_easy_setopt_long(easy, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)))
        if let caFile = options.tls.caFile { check(interlink_easy_setopt_string(easy, CURLOPT_CAINFO, caFile)) }
        if let certificate = options.tls.clientCertificateFile { check(interlink_easy_setopt_string(easy, CURLOPT_SSLCERT, certificate)) }
        if let key = options.tls.clientKeyFile { check(interlink_easy_setopt_string(easy, CURLOPT_SSLKEY, key)) }

        check(configureMethod(request))
        check(configureHeaders(request.headers))
        check(interlink_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        check(interlink_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        check(interlink_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        check(interlink_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        guard failure == CURLE_OK else {
            return HTTPClientError(kind: .other, url: request.url, curlCode: Int32(failure.rawValue),
                                   message: String(cString: curl_easy_strerror(failure)))
        }
        return nil
    }

    private func configureMethod(_ request: HTTPRequest) -> CURLcode {
        let method = request.method.uppercased()
        if method == "GET", request.body == nil {
            return interlink_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        }
        if method == "HEAD" {
            return interlink_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        }
        let body = request.body ?? []
        var code = interlink_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        guard code == CURLE_OK else { return code }
        // COPYPOSTFIELDS copies the bytes, so the Swift array need not outlive this call.
        code = body.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    interlink_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, $0)
                }
            } ?? interlink_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
        }
        guard code == CURLE_OK, method != "POST" else { return code }
        return interlink_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
    }

    private func configureHeaders(_ headers: HTTPHeaders) -> CURLcode {
        // An empty "Expect:" stops libcurl waiting for 100-continue on larger bodies.
        var list = curl_slist_append(nil, "Expect:")
        for field in headers where !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            list = curl_slist_append(list, "\(field.name): \(field.value)")
        }
        headerList = list
        return interlink_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
    }

    /// The outcome once libcurl reports the transfer done with `code`.
    func finish(code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        let url = pending.request.url
        if code == CURLE_OK {
            var status = 0
            _ = interlink_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: headers, body: body))
        }
        if tooLarge || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(HTTPClientError(kind: .responseTooLarge, url: url, curlCode: Int32(code.rawValue),
                                            message: "response body exceeds \(maxBytes) bytes"))
        }
        let detail = String(cString: errorBuffer)
        var message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        // Under TLS 1.3 the client's handshake ends before the server checks its certificate,
        // so a refusal arrives as the connection closing, or even as an unrelated message such
        // as curl's "getpeername() failed", depending on which side of the race libcurl sees.
        let closedAfterHandshake = handshakeCompleted && !answered && Self.isConnectionLoss(code)
        if closedAfterHandshake {
            message = "the server closed the connection right after the TLS handshake (\(message)); under TLS 1.3 that is how a server "
                + "refuses a missing or untrusted client certificate: check tls.clientCertificateFile and tls.clientKeyFile"
        }
        return .failure(HTTPClientError(kind: closedAfterHandshake ? .tls : Self.kind(of: code), url: url, curlCode: Int32(code.rawValue), message: message))
    }

    /// Whether a TLS handshake completed on this transfer's own connection.
    private var handshakeCompleted: Bool {
        var microseconds: curl_off_t = 0
        return interlink_easy_getinfo_off_t(easy, CURLINFO_APPCONNECT_TIME_T, &microseconds) == CURLE_OK && microseconds > 0
    }

    /// Whether any response status line arrived.
    private var answered: Bool {
        var status = 0
        return interlink_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status > 0
    }

    /// The connection broke (rather than never opening, or timing out).
    static func isConnectionLoss(_ code: CURLcode) -> Bool {
        code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING
    }

    static func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SEND_ERROR,
             CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            .connection
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            .tls
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            .other
        default:
            // Unknown failures are retried: a transient fault must never kill a transfer.
            .transient
        }
    }
}

/// libcurl's body callback. Returning less than it was given aborts the transfer.
private let curlWriteBody: interlink_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length <= transfer.maxBytes else {
        transfer.tooLarge = true
        return 0
    }
    transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// libcurl's header callback: one raw header line per call, status lines included.
private let curlWriteHeader: interlink_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    let line = UnsafeRawBufferPointer(start: data, count: length)
    if line.starts(with: "HTTP/".utf8) {
        // A new response starts (after a 100 Continue, say): forget the previous one's headers.
        transfer.headers = HTTPHeaders()
    } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
        transfer.headers.add(HTTPBytes.trimmedText(line[..<colon]), HTTPBytes.trimmedText(line[(colon + 1)...]))
    }
    return length
}
