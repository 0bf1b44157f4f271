import NIOCore

/// Splits a byte stream into lines.
struct LineBuffer {
    private var pending: [UInt8] = []

    mutating func append(_ buffer: ByteBuffer) -> [[UInt8]] {
        pending.append(contentsOf: buffer.readableBytesView)
        var lines: [[UInt8]] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(Array(pending[start..<newline]))
            start = newline + 1
        }
        pending.removeFirst(start)
        return lines
    }
}
