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
    /// Writes the 36 characters straight into the string's storage: one allocation per id.
    static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        // Version 4 and the RFC 4122 variant, in bytes 6 and 8 of the 16.
        high = (high & ~(0xF << 12)) | (0x4 << 12)
        low = (low & ~(0xC << 60)) | (0x8 << 60)
        return String(unsafeUninitializedCapacity: 36) { out in
            var index = 0
            func emit(_ value: UInt64, nibbles: Int) {
                var shift = (nibbles - 1) * 4
                while shift >= 0 {
                    let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0F
                    out[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    index += 1
                    shift -= 4
                }
            }
            func dash() {
                out[index] = UInt8(ascii: "-")
                index += 1
            }
            emit(high >> 32, nibbles: 8); dash()
            emit(high >> 16, nibbles: 4); dash()
            emit(high, nibbles: 4); dash()
            emit(low >> 48, nibbles: 4); dash()
            emit(low, nibbles: 12)
            return 36
        }
    }
}
