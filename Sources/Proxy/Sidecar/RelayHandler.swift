import NIOCore

/// One side of an opaque TCP relay between two channels of the same event loop: bytes read on
/// one are written to the other. A side reads only while its partner can take more (so a slow
/// reader slows the writer instead of filling memory), half-closes are passed on, and a full
/// close of either side closes both.
///
/// Bytes that arrive before the partner is connected (a client's first request, replayed by a
/// protocol detector) are kept and written once it is.
final class RelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var early: [ByteBuffer] = []
    private var inputClosed = false
    private var outputClosed = false

    /// Two handlers that relay to each other once both are in their pipelines.
    static func pair() -> (RelayHandler, RelayHandler) {
        let first = RelayHandler()
        let second = RelayHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        partner?.partnerAttached()
        if partner?.context != nil { partnerAttached() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    // MARK: Inbound, from our channel to the partner's

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if let partner, partner.context != nil {
            partner.write(bytes)
        } else {
            early.append(bytes)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.closeFully()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            inputClosed = true
            partner?.closeOutput()
            if outputClosed { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Outbound: reads wait for a partner that can take the bytes

    func read(context: ChannelHandlerContext) {
        if let partner, let partnerContext = partner.context, partnerContext.channel.isWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }

    // MARK: Called by the partner

    private func partnerAttached() {
        guard context != nil, let partner, partner.context != nil else { return }
        if !early.isEmpty {
            for bytes in early { partner.write(bytes) }
            early.removeAll()
            partner.flush()
        }
        resumeReading()
    }

    private func write(_ bytes: ByteBuffer) {
        context?.write(wrapOutboundOut(bytes), promise: nil)
    }

    private func flush() { context?.flush() }

    private func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    private func closeOutput() {
        guard let context, !outputClosed else { return }
        outputClosed = true
        context.flush()
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        if inputClosed { context.close(promise: nil) }
    }

    private func closeFully() {
        context?.close(promise: nil)
    }
}
