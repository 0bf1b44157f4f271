import NIOCore
import NIOHTTP1

/// What the proxy knows about the downstream connection when it rewrites a request.
struct DownstreamInfo {
    var clientAddress: String?
    var isTLS: Bool
    var isHTTP2: Bool
    /// The TLS ClientHello's server name (SNI), when the connection is TLS and sent one.
    var serverName: String?
    /// On a mesh listener: this proxy's SPIFFE ID, the client's, and its leaf's SHA-256.
    var localIdentity: String?
    var peerIdentity: String?
    var peerCertificateHash: String?
}

/// Facts about a client connection learnt before any request, shared by the request handlers of
/// that connection (one for HTTP/1.1, one per stream for HTTP/2). Confined to the connection's loop.
final class ConnectionFacts {
    var serverName: String?
    var localIdentity: String?
    var peerIdentity: String?
    var peerCertificateHash: String?
}

/// Adds `X-Forwarded-*` and `x-request-id`; W3C `traceparent`/`tracestate` are end-to-end
/// headers and simply pass through untouched.
enum ForwardedHeaders {
    static func apply(to headers: inout HTTPHeaders, originalHost: String?, info: DownstreamInfo, requestID: String) {
        if let client = info.clientAddress {
            if let existing = headers.first(name: "x-forwarded-for"), !existing.isEmpty {
                headers.replaceOrAdd(name: "x-forwarded-for", value: existing + ", " + client)
            } else {
                headers.replaceOrAdd(name: "x-forwarded-for", value: client)
            }
        }
        headers.replaceOrAdd(name: "x-forwarded-proto", value: info.isTLS ? "https" : "http")
        if let originalHost, !headers.contains(name: "x-forwarded-host") {
            headers.add(name: "x-forwarded-host", value: originalHost)
        }
        if !headers.contains(name: "x-request-id") {
            headers.add(name: "x-request-id", value: requestID)
        }
        // Only this proxy vouches for a client's identity: whatever a client sent is dropped.
        headers.remove(name: "x-forwarded-client-cert")
        if let peer = info.peerIdentity {
            // Envoy's format, which mesh-aware apps already parse.
            var value = ""
            if let local = info.localIdentity { value += "By=\(local);" }
            if let hash = info.peerCertificateHash { value += "Hash=\(hash);" }
            headers.add(name: "x-forwarded-client-cert", value: value + "URI=\(peer)")
        }
    }
}

/// Request ids: 128 random bits rendered as a UUID-shaped string (what most tracing tools parse).
enum RequestID {
    static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
