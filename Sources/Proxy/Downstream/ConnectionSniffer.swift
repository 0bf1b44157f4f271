import NIOCore

/// Looks at a connection's first bytes to pick its pipeline: `decide` answers once the bytes are
/// enough (nil while they are not); with a `timeout`, a client that sends nothing in time gets
/// `onSilence` (server-first protocols speak only after the server). Once decided it installs the
/// pipeline after itself, replays the bytes and leaves.
final class ConnectionSniffer<Choice>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var buffered: ByteBuffer?
    private var decided = false
    private var timer: Scheduled<Void>?
    private let timeout: TimeAmount?
    private let onSilence: Choice?
    private let decide: (ByteBuffer) -> Choice?
    private let configure: (Choice, ChannelHandlerContext) throws -> Void

    init(timeout: TimeAmount? = nil, onSilence: Choice? = nil, decide: @escaping (ByteBuffer) -> Choice?,
         configure: @escaping (Choice, ChannelHandlerContext) throws -> Void) {
        self.timeout = timeout
        self.onSilence = onSilence
        self.decide = decide
        self.configure = configure
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let timeout, onSilence != nil else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (sniffer, context) = bound.value
            if let choice = sniffer.onSilence { sniffer.finish(choice, context: context) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        if let choice = decide(buffered!) { finish(choice, context: context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        if !decided { context.read() }
    }

    private func finish(_ choice: Choice, context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        timer?.cancel()
        do {
            try configure(choice, context)
        } catch {
            context.close(promise: nil)
            return
        }
        if let bytes = buffered {
            buffered = nil
            context.fireChannelRead(wrapInboundOut(bytes))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
