/// Host and path a request is sent upstream with after a `URLRewrite` filter.
public struct RewrittenURL: Hashable, Sendable {
    public var host: String
    public var path: String
}

extension HTTPURLRewriteFilter {
    /// Applies the rewrite to a request's `Host` (sent as is when no hostname is set) and path
    /// (without query; the query is forwarded unchanged by the caller).
    public func rewrite(host: String, path: Substring, matchedPrefix: String?) -> RewrittenURL {
        RewrittenURL(
            host: hostname ?? host,
            path: self.path?.apply(to: path, matchedPrefix: matchedPrefix) ?? String(path))
    }
}
