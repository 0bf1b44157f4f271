import ProxyConfig

/// Everything about forwarding to one backend reference of one rule that does not depend on the
/// request: resolved once per config snapshot, so a request only looks it up by index and never
/// rebuilds filter lists, retry sets or timeouts.
final class ForwardTarget: Sendable {
    let cluster: UpstreamCluster
    /// Name of the backend (metrics, access log).
    var backendName: String { cluster.name }
    /// Response header modifiers of the rule, then of the backend reference.
    let responseHeaders: [HTTPHeaderFilter]
    let requestTimeoutMilliseconds: Int64?
    let backendTimeoutMilliseconds: Int64?
    /// The rule's own body limit; the listener's applies when nil.
    let maxRequestBodyBytes: Int?
    /// The rule's retry policy; nil: one attempt.
    let retry: RetryPlan?

    init(rule: CompiledRule, ref: CompiledBackendRef, cluster: UpstreamCluster) {
        self.cluster = cluster
        responseHeaders = [rule.responseHeaderModifier, ref.responseHeaderModifier].compactMap { $0 }
        requestTimeoutMilliseconds = rule.timeouts?.request?.milliseconds
        backendTimeoutMilliseconds = rule.timeouts?.backendRequest?.milliseconds
        maxRequestBodyBytes = rule.maxRequestBodyBytes
        retry = RetryPlan(rule.retry)
    }

    /// The targets of every rule of a snapshot, by `CompiledRule.id` then `CompiledBackendRef.position`;
    /// nil for a reference to no valid backend.
    static func table(rules: [CompiledRule], clusters: [UpstreamCluster]) -> [[ForwardTarget?]] {
        rules.map { rule in
            rule.backendRefs.map { ref in
                guard let index = ref.backendIndex, index < clusters.count else { return nil }
                return ForwardTarget(rule: rule, ref: ref, cluster: clusters[index])
            }
        }
    }
}
