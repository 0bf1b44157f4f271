import ProxyConfig

extension RequestLimits {
    init(_ limits: ListenerLimits) {
        self.init(
            maxURILength: limits.maxRequestHeaderBytes,
            maxHeaderBytes: limits.maxRequestHeaderBytes,
            maxHeaderCount: limits.maxRequestHeaderCount,
            maxBodyBytes: limits.maxRequestBodyBytes,
            headerReadTimeoutMilliseconds: limits.headerReadTimeout?.milliseconds ?? 3_600_000,
            idleTimeoutMilliseconds: limits.idleTimeout?.milliseconds ?? 3_600_000)
    }
}
