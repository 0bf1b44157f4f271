import NIOCore

/// The bytes a decoder could not use yet (part of a line or head), kept until the next read.
/// Usually empty: a whole head tends to arrive in one read, and then nothing is copied.
struct UnreadBytes {
    private var bytes: ByteBuffer?

    /// `incoming`, after what was kept from before.
    mutating func prepend(to incoming: ByteBuffer) -> ByteBuffer {
        guard var kept = bytes else { return incoming }
        bytes = nil
        kept.writeImmutableBuffer(incoming)
        return kept
    }

    /// Keeps what `buffer` has left, if anything.
    mutating func keep(_ buffer: ByteBuffer) {
        bytes = buffer.readableBytes > 0 ? buffer : nil
    }

    mutating func discard() { bytes = nil }

    var isEmpty: Bool { bytes == nil }
}
