import NIOCore
import NIOHTTP2

/// The tail of an HTTP/2 connection pipeline. On drain it tells the client to open no new
/// streams (GOAWAY; streams in flight finish). On a connection error (a protocol violation, or an
/// abuse limit such as too many RST_STREAM frames) NIO has already sent GOAWAY; this closes the
/// connection so an abusive client cannot keep it.
final class HTTP2DrainHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ListenerPipeline.DrainEvent {
            let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
