/// What one API connection may hold and for how long: the bounds that keep a slow or stalled
/// client from growing the server's memory or pinning a connection forever.
public struct ConnectionLimits: Sendable {
    /// Encoded watch events kept for a watcher whose connection cannot take them yet. Past this the
    /// watch is ended, as kube-apiserver's cacher ends a watcher that stops keeping up (its client
    /// re-watches, or relists on 410). 8 MiB holds thousands of typical objects — a burst such as
    /// the initial state of a large collection — while 100 stalled watchers still cost under 1 GiB.
    public var watchBufferBytes = 8 * 1024 * 1024
    /// How long a request may take to arrive in full. kube-apiserver bounds every non-watch
    /// request by `--request-timeout` (60 s by default) and answers 504 Timeout.
    public var requestTimeout: Duration = .seconds(60)

    public init() {}
}
