import NIOHTTP1

/// Checks a decoded request head for smuggling vectors and size limits before anything is forwarded.
enum RequestHeadValidator {
    /// Returns the declared body length (nil when chunked or absent) or the rejection. `facts`
    /// are the head's fields, classified once (`RequestHeaderFacts`).
    static func validate(
        _ head: HTTPRequestHead, facts: RequestHeaderFacts, limits: RequestLimits, isHTTP2: Bool
    ) -> Result<Int?, RequestRejection> {
        if head.uri.utf8.count > limits.maxURILength {
            return .failure(.init(status: .uriTooLong, reason: "request target longer than \(limits.maxURILength) bytes"))
        }
        if head.headers.count > limits.maxHeaderCount {
            return .failure(.init(status: .requestHeaderFieldsTooLarge, reason: "more than \(limits.maxHeaderCount) header fields"))
        }
        if facts.headerBytes > limits.maxHeaderBytes {
            return .failure(.init(status: .requestHeaderFieldsTooLarge, reason: "header fields exceed \(limits.maxHeaderBytes) bytes"))
        }
        if facts.contentLength.isPresent && facts.transferEncoding.isPresent {
            return .failure(.init(status: .badRequest, reason: "both Content-Length and Transfer-Encoding present"))
        }
        if facts.transferEncoding.isPresent && head.version == .http1_0 {
            // RFC 9112 §6.1: its framing is faulty; decoding it as chunked and keeping the
            // connection would forward whatever follows the last chunk as another request.
            return .failure(.init(status: .badRequest, reason: "Transfer-Encoding in an HTTP/1.0 request"))
        }
        if facts.transferEncoding.isPresent {
            if isHTTP2 {
                return .failure(.init(status: .badRequest, reason: "Transfer-Encoding is not allowed in HTTP/2"))
            }
            guard facts.transferEncoding.lastIsChunked else {
                return .failure(.init(status: .badRequest, reason: "unsupported Transfer-Encoding"))
            }
        }
        if facts.contentLength.invalid {
            return .failure(.init(status: .badRequest, reason: "invalid Content-Length"))
        }
        if facts.contentLength.conflict {
            return .failure(.init(status: .badRequest, reason: "conflicting Content-Length values"))
        }
        if head.version.major == 1 && head.version.minor >= 1 && !isHTTP2 && facts.hostCount != 1 {
            return .failure(.init(status: .badRequest, reason: facts.hostCount == 0 ? "missing Host header" : "multiple Host headers"))
        }
        return .success(facts.contentLength.value)
    }
}
