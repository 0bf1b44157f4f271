import NIOCore
import NIOHTTP1

/// The first handler of a client's HTTP/1.1 connection: bytes in, request parts out, read by
/// `HTTP1RequestParser`. Pipelined requests are all passed on as they arrive; the request
/// handler queues them. On a malformed request it reports the error once and reads no more:
/// the request handler answers 400 (431 for a head too large) and closes.
final class DownstreamHTTP1Decoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart

    private var parser: HTTP1RequestParser
    private var unread = UnreadBytes()
    private var failed = false

    init(maxHeaderBytes: Int, maxFields: Int) {
        parser = HTTP1RequestParser(maxHeaderBytes: maxHeaderBytes, maxFields: maxFields)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var buffer = unread.prepend(to: unwrapInboundIn(data))
        // One part at a time, so that what a part sets off finds the parser between calls.
        do {
            while let part = try parser.next(&buffer) {
                context.fireChannelRead(wrapInboundOut(part))
                if failed || !context.channel.isActive { return }
            }
        } catch {
            failed = true
            unread.discard()
            context.fireErrorCaught(error)
            return
        }
        unread.keep(buffer)
    }
}
