import NIOCore
import NIOHTTP1

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
