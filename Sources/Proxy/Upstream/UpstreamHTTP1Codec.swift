import NIOCore
import NIOHTTP1

/// The bytes side of an upstream HTTP/1.1 connection: requests out, responses in, in one handler
/// instead of NIO's encoder, decoder and the write-observing handler that tells the decoder each
/// request's method.
final class UpstreamHTTP1Codec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    private var parser = HTTP1ResponseParser()
    private var encoder = HTTP1RequestEncoder()
    private var unread = UnreadBytes()
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unread.prepend(to: unwrapInboundIn(data))
        // One part at a time, so that what a part sets off (the exchange ending, the connection
        // going back to its pool and carrying the next request) finds the parser between calls.
        do {
            while let part = try parser.next(&buffer) {
                context.fireChannelRead(wrapInboundOut(part))
                if failed || !context.channel.isActive { return }
            }
        } catch {
            fail(context: context, error)
            return
        }
        unread.keep(buffer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !failed {
            do {
                if let end = try parser.connectionClosed() {
                    context.fireChannelRead(wrapInboundOut(end))
                } else if !unread.isEmpty {
                    throw HTTP1ParseError.truncated
                }
            } catch {
                failed = true
                context.fireErrorCaught(error)
            }
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            parser.requestSent(head.method)
            let buffer = encoder.encodeHead(head, allocator: context.channel.allocator)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(.byteBuffer(let body)) where encoder.chunked:
            guard body.readableBytes > 0 else {
                promise?.succeed()
                return
            }
            var size = context.channel.allocator.buffer(capacity: 18)
            HTTP1Chunk.writeSize(body.readableBytes, into: &size)
            context.write(wrapOutboundOut(.byteBuffer(size)), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(body)), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(Self.crlf)), promise: promise)
        case .body(let body):
            context.write(wrapOutboundOut(body), promise: promise)
        case .end(let trailers):
            guard encoder.chunked else {
                promise?.succeed()
                return
            }
            var last = context.channel.allocator.buffer(capacity: 5)
            HTTP1Chunk.writeLast(trailers: trailers, into: &last)
            context.write(wrapOutboundOut(.byteBuffer(last)), promise: promise)
        }
    }

    /// A backend that breaks the protocol loses the connection: nothing after the error can be
    /// framed with confidence.
    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        failed = true
        unread.discard()
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private static let crlf = ByteBuffer(string: "\r\n")
}
