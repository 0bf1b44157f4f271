/// A stream leased from a pool for one exchange.
struct UpstreamLease {
    var handler: UpstreamStreamHandler
    /// Whether the connection already served a request (a stale keep-alive may have been closed by the backend).
    var reused: Bool
}
