import NIOCore
import NIOHTTP1

/// A fire-and-forget copy of a request (Gateway API `RequestMirror`). Its response is read and
/// dropped; if the mirror backend is slow to connect, at most `maxBufferedBytes` of body wait for
/// it, beyond that the mirror is abandoned rather than slowing the real request.
final class MirrorExchange: UpstreamResponseSink {
    static let maxBufferedBytes = 1 << 20

    private var pending: [HTTPClientRequestPart] = []
    private var pendingBytes = 0
    private var upstream: UpstreamStreamHandler?
    private var abandoned = false
    private var requestComplete = false
    private var responseComplete = false
    private let loop: LoopContext
    /// Keeps the exchange alive until its response ends (the caller forgets it at the request's end).
    private var selfReference: MirrorExchange?

    private init(loop: LoopContext) {
        self.loop = loop
    }

    static func start(_ mirror: MirrorPlan, head: HTTPRequestHead, loop: LoopContext) -> MirrorExchange? {
        guard let target = loop.pickTarget(mirror.cluster) else { return nil }
        let exchange = MirrorExchange(loop: loop)
        exchange.pending.append(.head(head))
        exchange.selfReference = exchange
        let callback: (Result<UpstreamLease, any Error>) -> Void = { result in exchange.leased(result) }
        switch mirror.cluster.upstreamProtocol {
        case .http1: loop.http1Pool(for: target).lease(callback)
        case .h2c: loop.h2Pool(for: target).lease(callback)
        }
        return exchange
    }

    func send(_ part: HTTPClientRequestPart) {
        guard !abandoned else { return }
        if case .end = part { requestComplete = true }
        if let upstream {
            // A mirror never throttles the real client: if it cannot keep up, it is dropped.
            if !upstream.isWritable { return abandon() }
            upstream.write(part, flush: true)
            return
        }
        if case .body(.byteBuffer(let buffer)) = part { pendingBytes += buffer.readableBytes }
        if pendingBytes > Self.maxBufferedBytes { return abandon() }
        pending.append(part)
    }

    private func leased(_ result: Result<UpstreamLease, any Error>) {
        guard case .success(let lease) = result else { return abandon() }
        guard !abandoned else { return lease.handler.release(reusable: false) }
        upstream = lease.handler
        lease.handler.sink = self
        for part in pending { lease.handler.write(part, flush: false) }
        pending.removeAll()
        lease.handler.flush()
    }

    private func abandon() {
        abandoned = true
        selfReference = nil
        pending.removeAll()
        if let upstream {
            self.upstream = nil
            upstream.sink = nil
            upstream.release(reusable: false)
        }
    }

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        guard case .end = part else { return }
        responseComplete = true
        selfReference = nil
        if let upstream {
            self.upstream = nil
            upstream.release(reusable: requestComplete)
        }
    }

    func upstreamFailed(_ error: any Error) {
        upstream = nil
        abandoned = true
        selfReference = nil
    }

    func upstreamWritabilityChanged(isWritable: Bool) {}

    func upstreamReadComplete() {}
}
