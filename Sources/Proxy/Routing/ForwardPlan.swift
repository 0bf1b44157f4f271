import NIOHTTP1
import ProxyConfig

/// How to forward one request: the request as it goes upstream, where to, and which mirrors get
/// a copy. What does not depend on the request is shared, in `target`.
struct ForwardPlan {
    /// The request as it goes upstream (filters and URL rewrite already applied; hop-by-hop headers not yet stripped).
    var head: HTTPRequestHead
    /// Whether the route's filters changed `head`'s fields: the client's fields, classified once,
    /// then no longer describe them.
    let headersEdited: Bool
    let target: ForwardTarget
    /// The body limit: the rule's, else the listener's.
    let maxRequestBodyBytes: Int?
    var mirrors: [MirrorPlan]

    var backendName: String { target.backendName }
    var cluster: UpstreamCluster { target.cluster }
    var responseHeaders: [HTTPHeaderFilter] { target.responseHeaders }
    var requestTimeoutMilliseconds: Int64? { target.requestTimeoutMilliseconds }
    var backendTimeoutMilliseconds: Int64? { target.backendTimeoutMilliseconds }
    var retry: RetryPlan? { target.retry }
}
