import NIOHTTP1

/// Checks a decoded request head for smuggling vectors and size limits before anything is forwarded.
enum RequestHeadValidator {
    /// Returns the declared body length (nil when chunked or absent) or the rejection.
    static func validate(_ head: HTTPRequestHead, limits: RequestLimits, isHTTP2: Bool) -> Result<Int?, RequestRejection> {
        if head.uri.utf8.count > limits.maxURILength {
            return .failure(.init(status: .uriTooLong, reason: "request target longer than \(limits.maxURILength) bytes"))
        }
        if head.headers.count > limits.maxHeaderCount {
            return .failure(.init(status: .requestHeaderFieldsTooLarge, reason: "more than \(limits.maxHeaderCount) header fields"))
        }
        var headerBytes = 0
        for (name, value) in head.headers {
            headerBytes += name.utf8.count + value.utf8.count + 4
        }
        if headerBytes > limits.maxHeaderBytes {
            return .failure(.init(status: .requestHeaderFieldsTooLarge, reason: "header fields exceed \(limits.maxHeaderBytes) bytes"))
        }
        let contentLengths = head.headers[canonicalForm: "content-length"]
        let transferEncodings = head.headers[canonicalForm: "transfer-encoding"]
        if !contentLengths.isEmpty && !transferEncodings.isEmpty {
            return .failure(.init(status: .badRequest, reason: "both Content-Length and Transfer-Encoding present"))
        }
        if !transferEncodings.isEmpty && head.version == .http1_0 {
            // RFC 9112 §6.1: its framing is faulty; decoding it as chunked and keeping the
            // connection would forward whatever follows the last chunk as another request.
            return .failure(.init(status: .badRequest, reason: "Transfer-Encoding in an HTTP/1.0 request"))
        }
        if !transferEncodings.isEmpty {
            if isHTTP2 {
                return .failure(.init(status: .badRequest, reason: "Transfer-Encoding is not allowed in HTTP/2"))
            }
            guard transferEncodings.last.map({ $0.lowercased() == "chunked" }) == true else {
                return .failure(.init(status: .badRequest, reason: "unsupported Transfer-Encoding"))
            }
        }
        var length: Int?
        for value in contentLengths {
            guard let parsed = Int(value), parsed >= 0, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                return .failure(.init(status: .badRequest, reason: "invalid Content-Length"))
            }
            if let length, length != parsed {
                return .failure(.init(status: .badRequest, reason: "conflicting Content-Length values"))
            }
            length = parsed
        }
        if head.version.major == 1 && head.version.minor >= 1 && !isHTTP2 {
            var hosts = 0
            for (name, _) in head.headers where name.isHeaderName("host") { hosts += 1 }
            if hosts != 1 {
                return .failure(.init(status: .badRequest, reason: hosts == 0 ? "missing Host header" : "multiple Host headers"))
            }
        }
        return .success(length)
    }
}
