import NIOCore
import NIOHTTP1

/// The downstream side of one forwarded request, as seen by the upstream stream carrying it.
/// Both sides live on the same event loop, so these calls are plain method calls.
protocol UpstreamResponseSink: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    /// The upstream stream closed or failed before the response ended.
    func upstreamFailed(_ error: any Error)
    func upstreamWritabilityChanged(isWritable: Bool)
}

/// Errors the upstream side reports; the downstream maps them to 502/503/504.
enum UpstreamError: Error, Equatable {
    case connectFailed(String)
    case connectionClosed
    case poolExhausted
    case timedOut
}

/// A stream leased from a pool for one exchange.
struct UpstreamLease {
    var handler: UpstreamStreamHandler
    /// Whether the connection already served a request (a stale keep-alive may have been closed by the backend).
    var reused: Bool
}
