import NIOHTTP1
import ProxyConfig

/// How to forward one request.
struct ForwardPlan {
    /// The request as it goes upstream (filters and URL rewrite already applied; hop-by-hop headers not yet stripped).
    var head: HTTPRequestHead
    /// Name of the chosen backend (metrics, access log).
    var backendName: String
    var cluster: UpstreamCluster
    /// Response header modifiers of the rule, then of the backend reference.
    var responseHeaders: [HTTPHeaderFilter]
    var requestTimeoutMilliseconds: Int64?
    var backendTimeoutMilliseconds: Int64?
    var maxRequestBodyBytes: Int?
    var mirrors: [MirrorPlan]
    /// The rule's retry policy; nil: one attempt.
    var retry: RetryPlan? = nil
}
