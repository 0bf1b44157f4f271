import ProxyConfig

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
