import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Sends raw bytes to a server and collects everything it answers until it closes the
/// connection or `idle` passes without a byte — for malformed and pipelined requests.
enum RawClient {
    static func exchange(
        port: Int, _ request: String, group: any EventLoopGroup, idle: TimeAmount = .seconds(2), total: TimeAmount = .seconds(15)
    ) async throws -> String {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(CollectHandler(collector: collector)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: request))
        let clock = ContinuousClock()
        let start = clock.now
        var lastCount = -1
        var lastChange = clock.now
        while clock.now - start < .nanoseconds(total.nanoseconds) {
            let (count, closed) = collector.state
            if closed { break }
            if count != lastCount {
                lastCount = count
                lastChange = clock.now
            } else if clock.now - lastChange > .nanoseconds(idle.nanoseconds) {
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        try? await channel.close()
        return collector.text
    }

    /// Whether the server closed the connection within `within` after sending `request`.
    final class Collector: Sendable {
        private let data = Mutex<([UInt8], Bool)>(([], false))
        func append(_ bytes: [UInt8]) { data.withLock { $0.0.append(contentsOf: bytes) } }
        func close() { data.withLock { $0.1 = true } }
        var state: (Int, Bool) { data.withLock { ($0.0.count, $0.1) } }
        var text: String { data.withLock { String(decoding: $0.0, as: UTF8.self) } }
    }

    private final class CollectHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let collector: Collector
        init(collector: Collector) { self.collector = collector }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            collector.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
        }
        func channelInactive(context: ChannelHandlerContext) { collector.close() }
    }
}

extension String {
    /// Status codes of every HTTP/1 response in a raw byte stream, in order.
    var statusCodes: [Int] {
        var codes: [Int] = []
        var rest = self[...]
        while let range = rest.range(of: "HTTP/1.1 ") {
            let codeStart = range.upperBound
            let code = rest[codeStart...].prefix(3)
            if let value = Int(code) { codes.append(value) }
            rest = rest[codeStart...]
        }
        return codes
    }
}
