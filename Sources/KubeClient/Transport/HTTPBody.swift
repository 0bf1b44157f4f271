import Synchronization

/// Bounds how much of a response body waits in memory for its consumer: past `highWater` bytes
/// the transfer is paused (libcurl stops reading the socket, so TCP or HTTP/2 flow control
/// pushes back on the server); once the consumer is down to `lowWater`, it resumes.
final class FlowControl: Sendable {
    let highWater: Int
    let lowWater: Int
    private struct State {
        var buffered = 0
        var paused = false
    }
    private let state = Mutex(State())

    init(highWater: Int, lowWater: Int) {
        self.highWater = highWater
        self.lowWater = lowWater
    }

    /// Engine thread: may a chunk of `count` bytes be handed over now? If not, the transfer pauses.
    func admit(_ count: Int) -> Bool {
        state.withLock { state in
            if state.buffered >= highWater {
                state.paused = true
                return false
            }
            state.buffered += count
            return true
        }
    }

    /// Consumer: a chunk was taken. True when a paused transfer should resume. The pause is only
    /// ever set while at least `highWater` bytes wait, so the consumer always crosses `lowWater`
    /// afterwards and never misses the moment to resume.
    func consumed(_ count: Int) -> Bool {
        state.withLock { state in
            state.buffered -= count
            guard state.paused, state.buffered <= lowWater else { return false }
            state.paused = false
            return true
        }
    }

    var bufferedBytes: Int { state.withLock { $0.buffered } }
    var isPaused: Bool { state.withLock { $0.paused } }
}

/// A response body as an asynchronous sequence of byte chunks, delivered as they arrive.
/// Iterate it once; dropping the iteration aborts the transfer.
public struct HTTPBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let stream: AsyncThrowingStream<[UInt8], any Error>
    let flow: FlowControl?
    let resume: @Sendable () -> Void

    init(stream: AsyncThrowingStream<[UInt8], any Error>, flow: FlowControl?, resume: @escaping @Sendable () -> Void) {
        self.stream = stream
        self.flow = flow
        self.resume = resume
    }

    /// A body from a plain stream, without flow control (other transports, tests).
    public init(_ stream: AsyncThrowingStream<[UInt8], any Error>) {
        self.init(stream: stream, flow: nil, resume: {})
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var inner: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let flow: FlowControl?
        let resume: @Sendable () -> Void

        public mutating func next() async throws -> [UInt8]? {
            guard let chunk = try await inner.next() else { return nil }
            if let flow, flow.consumed(chunk.count) { resume() }
            return chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inner: stream.makeAsyncIterator(), flow: flow, resume: resume)
    }
}
