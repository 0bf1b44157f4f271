import CCurl
import Foundation

/// One request in flight: its easy handle, and the continuations that hand the response to Swift.
///
/// Confined to the engine thread once submitted (libcurl calls back on the thread that drives the
/// multi handle), which is why the unchecked `Sendable` is sound: the submitting task only creates it.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectTo: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    private var headContinuation: CheckedContinuation<HTTPResponseHead, any Error>?
    let bodyContinuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    let flow: FlowControl
    private var status = 0
    private var headers: [HTTPHeader] = []

    init(id: UInt64, request: HTTPRequest, head: CheckedContinuation<HTTPResponseHead, any Error>,
         body: AsyncThrowingStream<[UInt8], any Error>.Continuation, flow: FlowControl) throws {
        guard let easy = curl_easy_init() else {
            throw TransportError(code: .other, message: "curl_easy_init failed")
        }
        self.id = id
        self.easy = easy
        self.headContinuation = head
        self.bodyContinuation = body
        self.flow = flow
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        do {
            try configure(request)
        } catch {
            release()
            throw error
        }
    }

    private func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            throw TransportError(code: .invalidRequest, message: "\(what): \(String(cString: curl_easy_strerror(code)))",
                                 curlCode: Int(code.rawValue))
        }
    }

    private func configure(_ request: HTTPRequest) throws {
        var url = request.url
        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        // Kubernetes servers answer at once; waiting for `100 Continue` only adds a round trip.
        headerLines.append("Expect:")

        if let serverName = request.tls.serverName, let rewritten = Self.redirect(url: url, toServerName: serverName) {
            // libcurl has no SNI override; asking for the server name and connecting to the real host
            // gives SNI and certificate checks against `tls-server-name` while the Host header keeps
            // the address the user configured, as client-go does.
            url = rewritten.url
            connectTo = curl_slist_append(nil, rewritten.connectTo)
            try check(ccurl_easy_setopt_pointer(easy, CURLOPT_CONNECT_TO, connectTo), "CURLOPT_CONNECT_TO")
            headerLines.append("Host: \(rewritten.originalAuthority)")
        }

        try check(ccurl_easy_setopt_string(easy, CURLOPT_URL, url), "invalid URL \(request.url)")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS), "CURLOPT_HTTP_VERSION")
        // Waiting for a multiplexed HTTP/2 connection beats opening a parallel one per request.
        try check(ccurl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1), "CURLOPT_PIPEWAIT")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "CURLOPT_TCP_KEEPALIVE")
        try check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, 10_000), "CURLOPT_CONNECTTIMEOUT_MS")
        if let timeout = request.timeout {
            let ms = max(1, Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
            try check(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, ms), "CURLOPT_TIMEOUT_MS")
        }
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        if Self.verbose {
            // libcurl's own trace on stderr, for diagnosing connection handling.
            try check(ccurl_easy_setopt_long(easy, CURLOPT_VERBOSE, 1), "CURLOPT_VERBOSE")
        }

        switch request.method {
        case "GET":
            try check(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
        case "HEAD":
            try check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY")
        default:
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "CURLOPT_CUSTOMREQUEST")
        }
        if let body = request.body {
            try check(ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            try body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS: libcurl keeps its own copy, so the Swift array need not outlive this call.
                try check(ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(errorBuffer))),
                          "CURLOPT_COPYPOSTFIELDS")
            }
            if request.method != "POST" {
                try check(ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "CURLOPT_CUSTOMREQUEST")
            }
        }
        for line in headerLines {
            headerList = curl_slist_append(headerList, line)
        }
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")

        try configureTLS(request.tls)

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(ccurl_easy_setopt_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback), "CURLOPT_WRITEFUNCTION")
        try check(ccurl_easy_setopt_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "CURLOPT_HEADERFUNCTION")
    }

    private func configureTLS(_ tls: TLSSettings) throws {
        if tls.insecureSkipVerify {
            try check(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "CURLOPT_SSL_VERIFYPEER")
            try check(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "CURLOPT_SSL_VERIFYHOST")
        }
        if let ca = tls.caPEM {
            try ca.withUnsafeBytes { try check(ccurl_easy_setopt_blob(easy, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count), "CURLOPT_CAINFO_BLOB") }
        } else if let file = tls.caFile {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, file), "CURLOPT_CAINFO")
        }
        if let cert = tls.clientCertificatePEM {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_SSLCERTTYPE, "PEM"), "CURLOPT_SSLCERTTYPE")
            try cert.withUnsafeBytes { try check(ccurl_easy_setopt_blob(easy, CURLOPT_SSLCERT_BLOB, $0.baseAddress, $0.count), "CURLOPT_SSLCERT_BLOB") }
        }
        if let key = tls.clientKeyPEM {
            try check(ccurl_easy_setopt_string(easy, CURLOPT_SSLKEYTYPE, "PEM"), "CURLOPT_SSLKEYTYPE")
            try key.withUnsafeBytes { try check(ccurl_easy_setopt_blob(easy, CURLOPT_SSLKEY_BLOB, $0.baseAddress, $0.count), "CURLOPT_SSLKEY_BLOB") }
        }
    }

    /// `https://10.0.0.1:6443/x` with server name `kubernetes` becomes `https://kubernetes:6443/x`
    /// plus `CONNECT_TO kubernetes:6443:10.0.0.1:6443`.
    static func redirect(url: String, toServerName serverName: String) -> (url: String, connectTo: String, originalAuthority: String)? {
        guard var components = URLComponents(string: url), let host = components.host, host != serverName else { return nil }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        let originalAuthority = components.port.map { "\(host):\($0)" } ?? host
        components.host = serverName
        guard let rewritten = components.string else { return nil }
        let connectHost = host.contains(":") ? "[\(host)]" : host
        return (rewritten, "\(serverName):\(port):\(connectHost):\(port)", originalAuthority)
    }

    /// `CAUSEWAY_CURL_VERBOSE=1` turns on libcurl's trace.
    static let verbose = ProcessInfo.processInfo.environment["CAUSEWAY_CURL_VERBOSE"] == "1"

    // MARK: callbacks (engine thread)

    func receivedHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            // A new status line (after `100 Continue` or a proxy CONNECT) starts a fresh header block.
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if trimmed.isEmpty {
            if status >= 200 || status == 101 { deliverHead() }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = String(trimmed[..<colon])
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name: name, value: value))
        }
    }

    /// Hands a chunk to the consumer; false when too much is waiting already (the chunk is then
    /// refused and libcurl offers it again after `curl_easy_pause(…, CURLPAUSE_CONT)`).
    func receivedBody(_ data: UnsafeRawBufferPointer) -> Bool {
        deliverHead()
        guard flow.admit(data.count) else { return false }
        bodyContinuation.yield(Array(data))
        return true
    }

    private func deliverHead() {
        guard let continuation = headContinuation else { return }
        headContinuation = nil
        continuation.resume(returning: HTTPResponseHead(status: status, headers: headers))
    }

    /// Called once, when libcurl is done with the transfer or it is cancelled.
    func complete(_ result: CURLcode?) {
        if let result, result != CURLE_OK {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
            let error = TransportError(code: Self.code(for: result), message: message, curlCode: Int(result.rawValue))
            fail(error)
        } else if result == nil {
            fail(CancellationError())
        } else {
            deliverHead()
            bodyContinuation.finish()
        }
    }

    func fail(_ error: any Error) {
        if let continuation = headContinuation {
            headContinuation = nil
            continuation.resume(throwing: error)
        }
        bodyContinuation.finish(throwing: error)
    }

    static func code(for result: CURLcode) -> TransportError.Code {
        switch result {
        case CURLE_COULDNT_CONNECT: return .couldNotConnect
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .couldNotResolve
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidRequest
        default: return .other
        }
    }

    /// Frees the easy handle and everything configured on it; the engine has removed it from the multi first.
    func release() {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectTo)
        headerList = nil
        connectTo = nil
        errorBuffer.deallocate()
    }
}

private let curlWriteCallback: ccurl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receivedBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : ccurl_writefunc_pause()
}

private let curlHeaderCallback: ccurl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data, let context else { return length }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    transfer.receivedHeaderLine(line)
    return length
}
