import NIOHTTP1

/// What the proxy needs to know about a request's header fields, learnt in one pass over them.
/// The validator, the access record and the upstream rewrite read these instead of scanning the
/// fields again for each name they care about.
struct RequestHeaderFacts {
    /// The first `Host` value, and how many `Host` fields there are.
    var host: String?
    var hostCount = 0
    /// The field block's size as the limit counts it: name, value, and 4 for ": " and CRLF.
    var headerBytes = 0
    var contentLength = ContentLengthField()
    var transferEncoding = TransferEncodingField()
    var expectsContinue = false
    var requestID: String?
    /// The first `X-Forwarded-For` value.
    var forwardedFor: String?
    var hasForwardedProto = false
    var hasForwardedHost = false
    var hasClientCertificate = false
    /// Whether any hop-by-hop field (RFC 9110 §7.6.1) is present: when none is, nothing is stripped.
    var hasHopByHop = false
    /// Whether `Connection` lists `close`, and `keep-alive` (`ConnectionPersistence`).
    var connectionClose = false
    var connectionKeepAlive = false

    init(_ headers: HTTPHeaders) {
        headers.forEachField { name, value in
            headerBytes += name.utf8.count + value.utf8.count + 4
            if !hasHopByHop, HopByHopHeaders.isHopByHop(name) { hasHopByHop = true }
            // Names are told apart by length first, so most fields are compared with one name or none.
            switch name.utf8.count {
            case 4 where name.isHeaderName("host"):
                hostCount += 1
                if host == nil { host = value }
            case 6 where name.isHeaderName("expect"):
                HopByHopHeaders.forEachListElement(of: value) { if $0.isToken("100-continue") { expectsContinue = true } }
            case 10 where name.isHeaderName("connection"):
                HopByHopHeaders.forEachListElement(of: value) { token in
                    if token.isToken("close") {
                        connectionClose = true
                    } else if token.isToken("keep-alive") {
                        connectionKeepAlive = true
                    }
                }
            case 12 where name.isHeaderName("x-request-id"):
                if requestID == nil { requestID = value }
            case 14 where name.isHeaderName("content-length"):
                contentLength.add(value)
            case 15 where name.isHeaderName("x-forwarded-for"):
                if forwardedFor == nil { forwardedFor = value }
            case 16 where name.isHeaderName("x-forwarded-host"):
                hasForwardedHost = true
            case 17 where name.isHeaderName("transfer-encoding"):
                transferEncoding.add(value)
            case 17 where name.isHeaderName("x-forwarded-proto"):
                hasForwardedProto = true
            case 23 where name.isHeaderName("x-forwarded-client-cert"):
                hasClientCertificate = true
            default:
                break
            }
        }
    }
}
