import NIOCore
import NIOHTTP1

/// The downstream side of one forwarded request, as seen by the upstream stream carrying it.
/// Both sides live on the same event loop, so these calls are plain method calls.
protocol UpstreamResponseSink: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    /// The upstream stream closed or failed before the response ended.
    func upstreamFailed(_ error: any Error)
    func upstreamWritabilityChanged(isWritable: Bool)
    /// The upstream finished a read batch: a good moment to flush what was relayed.
    func upstreamReadComplete()
}
