import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one HTTP/1.1 message body from bytes, framed as its head said (RFC 9112 §6, §7.1):
/// a length, the chunked coding (with trailer fields), or the connection's close. Data goes out
/// as slices of what was read, never copied.
struct HTTP1BodyReader {
    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
        /// Responses only: the body ends when the connection does.
        case untilClose
    }

    enum Part {
        case data(ByteBuffer)
        case end(HTTPHeaders?)
    }

    private enum State {
        case data(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case ending
        case done
    }

    static let maxChunkLineBytes = 8 * 1024

    private var state: State
    private let maxTrailerBytes: Int
    private let maxTrailerFields: Int

    init(_ framing: Framing, maxTrailerBytes: Int, maxTrailerFields: Int) {
        self.maxTrailerBytes = maxTrailerBytes
        self.maxTrailerFields = maxTrailerFields
        switch framing {
        case .none, .length(0): state = .ending
        case .length(let length): state = .data(remaining: length)
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        }
    }

    /// The next part `buffer` holds, or nil when more bytes are needed (or the body is done).
    mutating func next(_ buffer: inout ByteBuffer) throws -> Part? {
        while true {
            switch state {
            case .done:
                return nil
            case .ending:
                state = .done
                return .end(nil)
            case _ where buffer.readableBytes == 0:
                return nil
            case .data(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                state = remaining == slice.readableBytes ? .ending : .data(remaining: remaining - slice.readableBytes)
                return .data(slice)
            case .chunkSize:
                guard let size = try readChunkSize(&buffer) else { return nil }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                state = remaining == slice.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - slice.readableBytes)
                return .data(slice)
            case .chunkDataEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw HTTP1ParseError.malformed("chunk data not followed by CRLF") }
                state = .chunkSize
            case .trailers:
                guard let trailers = try readTrailers(&buffer) else { return nil }
                state = .done
                return .end(trailers)
            case .untilClose:
                return .data(buffer.readSlice(length: buffer.readableBytes)!)
            }
        }
    }

    /// The connection closed: the end of a body delimited by the close; an error for a body cut short.
    mutating func connectionClosed() throws -> Part? {
        switch state {
        case .untilClose, .ending:
            state = .done
            return .end(nil)
        case .done:
            return nil
        default:
            throw HTTP1ParseError.truncated
        }
    }

    private func readChunkSize(_ buffer: inout ByteBuffer) throws -> Int? {
        let line = try buffer.withUnsafeReadableBytes { bytes -> (size: Int, length: Int)? in
            guard let base = bytes.baseAddress, let lf = memchr(base, 0x0A, bytes.count) else {
                if bytes.count > Self.maxChunkLineBytes { throw HTTP1ParseError.malformed("chunk size line too long") }
                return nil
            }
            let lineFeed = base.distance(to: UnsafeRawPointer(lf))
            guard lineFeed > 0, bytes[lineFeed - 1] == 0x0D else { throw HTTP1ParseError.malformed("line ends without CR") }
            let end = lineFeed - 1
            var size = 0
            var index = 0
            while index < end, let value = Self.hexValue(bytes[index]) {
                guard size <= (Int.max >> 4) else { throw HTTP1ParseError.malformed("chunk size too large") }
                size = size << 4 | value
                index += 1
            }
            guard index > 0 else { throw HTTP1ParseError.malformed("chunk size missing") }
            // Chunk extensions are allowed and ignored; anything else after the size is not.
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index == end || bytes[index] == UInt8(ascii: ";") else { throw HTTP1ParseError.malformed("chunk size not hexadecimal") }
            for position in index..<end where bytes[position] < 0x20 && bytes[position] != 0x09 || bytes[position] == 0x7F {
                throw HTTP1ParseError.malformed("control character in a chunk extension")
            }
            return (size, lineFeed + 1)
        }
        guard let line else { return nil }
        buffer.moveReaderIndex(forwardBy: line.length)
        return line.size
    }

    /// Trailer fields up to and including the blank line; nil when not all here yet.
    private func readTrailers(_ buffer: inout ByteBuffer) throws -> HTTPHeaders?? {
        let result = try buffer.withUnsafeReadableBytes { bytes -> (HTTPHeaders?, Int)? in
            guard bytes.count >= 2 else { return nil }
            if bytes[0] == 0x0D && bytes[1] == 0x0A { return (nil, 2) }
            guard let length = HTTP1HeadReader.completeLength(in: bytes) else {
                if bytes.count > maxTrailerBytes { throw HTTP1ParseError.headTooLarge }
                return nil
            }
            var reader = HTTP1HeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<length]), maxFields: maxTrailerFields)
            return (try reader.readFields().headers, length)
        }
        guard let (trailers, length) = result else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        return .some(trailers)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
