import NIOCore

/// On a cleartext listener, tells HTTP/2 with prior knowledge (h2c, e.g. gRPC clients) from
/// HTTP/1.1 by the first bytes: the HTTP/2 connection preface starts with `PRI * HTTP/2.0`.
/// Once decided it installs the right pipeline after itself, replays the bytes and leaves.
final class HTTPProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Choice { case http1, http2 }

    private static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    private var buffered: ByteBuffer?
    private let configure: (Choice, ChannelHandlerContext) throws -> Void

    init(configure: @escaping (Choice, ChannelHandlerContext) throws -> Void) {
        self.configure = configure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        guard let choice = decide(buffered!) else { return }
        do {
            try configure(choice, context)
        } catch {
            context.close(promise: nil)
            return
        }
        let bytes = buffered!
        buffered = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        if buffered != nil { context.read() }
    }

    private func decide(_ buffer: ByteBuffer) -> Choice? {
        let view = buffer.readableBytesView
        let count = min(view.count, Self.preface.count)
        for (offset, byte) in view.prefix(count).enumerated() where byte != Self.preface[offset] {
            return .http1
        }
        return count == Self.preface.count ? .http2 : nil
    }
}
