import NIOCore
import NIOEmbedded
import Testing

@testable import Proxy

/// The flushes of one event-loop tick reach the socket as one; nothing waits past the tick, and a
/// close sends what was written first.
@Suite struct FlushCoalescingHandlerTests {
    /// Counts the flushes that reach the head of the pipeline (the socket).
    final class FlushCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var flushes = 0

        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    func channel() throws -> (EmbeddedChannel, FlushCounter) {
        let counter = FlushCounter()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(FlushCoalescingHandler())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        return (channel, counter)
    }

    func written(_ channel: EmbeddedChannel) throws -> String {
        var out = ByteBuffer()
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out.writeImmutableBuffer(buffer) }
        return String(buffer: out)
    }

    @Test func flushesOfOneTickBecomeOne() throws {
        let (channel, counter) = try channel()
        for part in ["one ", "two ", "three"] {
            channel.write(ByteBuffer(string: part), promise: nil)
            channel.flush()
        }
        #expect(counter.flushes == 0)
        #expect(try written(channel) == "")
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
        #expect(try written(channel) == "one two three")

        channel.writeAndFlush(ByteBuffer(string: "next tick"), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 2)
        #expect(try written(channel) == "next tick")
        _ = try channel.finish()
    }

    @Test func aCloseSendsWhatWasWrittenFirst() throws {
        let (channel, counter) = try channel()
        channel.write(ByteBuffer(string: "goodbye"), promise: nil)
        channel.flush()
        let written = channel.embeddedEventLoop.makePromise(of: Void.self)
        channel.write(ByteBuffer(string: " frame"), promise: written)
        channel.close(promise: nil)
        #expect(counter.flushes == 1)
        #expect(try self.written(channel) == "goodbye frame")
        // The write did not fail as unflushed when the channel closed.
        try written.futureResult.wait()
        // The task the first flush scheduled finds nothing left to do.
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
    }
}
