import NIOCore
import NIOHTTP1

/// Adds `X-Forwarded-*` and `x-request-id`; W3C `traceparent`/`tracestate` are end-to-end
/// headers and simply pass through untouched.
enum ForwardedHeaders {
    /// `facts` describe `headers` as they are now: a field that is absent is added without
    /// searching the block for it first.
    static func apply(to headers: inout HTTPHeaders, facts: RequestHeaderFacts, originalHost: String?, info: DownstreamInfo, requestID: String) {
        if let client = info.clientAddress {
            if let existing = facts.forwardedFor {
                headers.replaceOrAdd(name: "x-forwarded-for", value: existing.isEmpty ? client : existing + ", " + client)
            } else {
                headers.add(name: "x-forwarded-for", value: client)
            }
        }
        let proto = info.isTLS ? "https" : "http"
        if facts.hasForwardedProto {
            headers.replaceOrAdd(name: "x-forwarded-proto", value: proto)
        } else {
            headers.add(name: "x-forwarded-proto", value: proto)
        }
        if let originalHost, !facts.hasForwardedHost {
            headers.add(name: "x-forwarded-host", value: originalHost)
        }
        if facts.requestID == nil {
            headers.add(name: "x-request-id", value: requestID)
        }
        // Only this proxy vouches for a client's identity: whatever a client sent is dropped.
        if facts.hasClientCertificate { headers.remove(name: "x-forwarded-client-cert") }
        if let peer = info.peerIdentity {
            // Envoy's format, which mesh-aware apps already parse.
            var value = ""
            if let local = info.localIdentity { value += "By=\(local);" }
            if let hash = info.peerCertificateHash { value += "Hash=\(hash);" }
            headers.add(name: "x-forwarded-client-cert", value: value + "URI=\(peer)")
        }
    }
}
