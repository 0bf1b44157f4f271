import NIOCore
import NIOHTTP2

/// Watches an upstream HTTP/2 connection for the two ways it retires: it takes no new stream, and
/// the pool closes it once its streams have ended.
///
/// - The backend's GOAWAY (the multiplexer passes connection-level frames to the connection's
///   pipeline). A backend sends one before it closes a connection on purpose — nginx after
///   `keepalive_requests` streams (1,000 by default), gRPC servers at their maximum connection
///   age — and the streams above its last stream id were never processed.
/// - An error NIO reports on the connection. After a connection error NIO has sent a GOAWAY of
///   its own but leaves the connection open, and every stream opened on it afterwards would hang.
///   NIO reports stream errors here too, without a type that tells them apart; retiring the
///   connection for one costs a new connection, not the streams in flight.
final class H2ConnectionWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame

    /// The lowest last stream id the backend announced; nil until a GOAWAY arrives.
    private(set) var lastStreamID: HTTP2StreamID?
    private(set) var failed = false
    /// Told on each GOAWAY or error, on the connection's event loop.
    var onRetire: (() -> Void)?

    var isRetired: Bool { lastStreamID != nil || failed }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if case .goAway(let last, _, _) = frame.payload {
            // A later GOAWAY may only lower the id (RFC 9113 §6.8).
            lastStreamID = lastStreamID.map { min($0, last) } ?? last
            onRetire?()
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed = true
        onRetire?()
    }

    /// Whether a failure on this connection means the backend never processed the stream.
    func unprocessed(_ error: any Error) -> Bool {
        if let closed = error as? NIOHTTP2Errors.StreamClosed {
            if closed.errorCode == .refusedStream { return true }
            if let lastStreamID, closed.streamID > lastStreamID { return true }
            return false
        }
        return error is NIOHTTP2Errors.CreatedStreamAfterGoaway
    }
}
