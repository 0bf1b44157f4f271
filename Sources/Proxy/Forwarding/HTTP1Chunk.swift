import NIOCore
import NIOHTTP1

/// The chunked transfer coding's framing (RFC 9112 §7.1), for the encoders of both directions.
enum HTTP1Chunk {
    /// The chunk-size line that goes before `count` bytes of data (CRLF follows the data).
    static func writeSize(_ count: Int, into buffer: inout ByteBuffer) {
        var shift = count == 0 ? 0 : (Int.bitWidth - count.leadingZeroBitCount - 1) / 4 * 4
        while shift >= 0 {
            let nibble = UInt8((count >> shift) & 0xF)
            buffer.writeInteger(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            shift -= 4
        }
        buffer.writeStaticString("\r\n")
    }

    /// The last chunk, the trailer fields and the blank line that ends the message.
    static func writeLast(trailers: HTTPHeaders?, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("0\r\n")
        for (name, value) in trailers ?? [:] {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
