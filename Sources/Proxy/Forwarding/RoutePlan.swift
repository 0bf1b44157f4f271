import NIOHTTP1
import ProxyConfig

/// What the router decided for one request, in the data plane's own terms.
///
/// The router (built from a `ProxyConfig`) produces it once per request head; the request
/// handler then only executes it, so the handler never reads the IR directly.
struct RoutePlan {
    /// `namespace/name` of the matched route, `"-"` when none matched (metrics and access log).
    var routeName: String
    var outcome: Outcome

    enum Outcome {
        case forward(ForwardPlan)
        case respond(LocalResponse)
    }
}

/// A response the proxy produces itself: 404 without a route, redirects, 500 for a rule with no valid backend.
struct LocalResponse {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders = [:]
    var body: String = ""
}

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

/// A copy of the request sent fire-and-forget; its response is discarded.
struct MirrorPlan {
    var backendName: String
    var cluster: UpstreamCluster
}

/// A backend as the data plane dials it: endpoints, protocol, balancing policy, pool limits.
final class UpstreamCluster: Sendable {
    /// Position among the snapshot's clusters: event loops keep their per-cluster state in
    /// arrays by this index, so a request looks nothing up by name.
    let index: Int
    let name: String
    let endpoints: [WeightedEndpoint]
    let upstreamProtocol: UpstreamProtocol
    let balancing: BalancingPolicy
    let pool: PoolSettings

    init(index: Int, name: String, endpoints: [WeightedEndpoint], upstreamProtocol: UpstreamProtocol, balancing: BalancingPolicy,
         pool: PoolSettings) {
        self.index = index
        self.name = name
        self.endpoints = endpoints
        self.upstreamProtocol = upstreamProtocol
        self.balancing = balancing
        self.pool = pool
    }
}

struct WeightedEndpoint: Hashable, Sendable {
    var endpoint: UpstreamEndpoint
    var weight: Int
}

enum BalancingPolicy: String, Sendable {
    case roundRobin
    /// Power of two choices: pick two endpoints at random, use the one with fewer requests in flight.
    case leastRequest
}

/// How often a request that failed before its response started is sent again (GEP-1731).
struct RetryPlan {
    /// Retries after the first attempt.
    var attempts: Int
    /// Response statuses that count as a failed attempt.
    var codes: Set<UInt>
    var backoffMilliseconds: Int64

    init?(_ retry: HTTPRouteRetry?) {
        guard let retry, retry.attempts > 0 else { return nil }
        attempts = retry.attempts
        codes = Set(retry.codes.map { UInt($0) })
        backoffMilliseconds = retry.backoff?.milliseconds ?? 0
    }
}
