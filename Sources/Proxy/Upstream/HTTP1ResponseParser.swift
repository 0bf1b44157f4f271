import NIOCore
import NIOHTTP1

/// Reads a backend's HTTP/1.1 responses from bytes (RFC 9112), for the one request at a time the
/// proxy sends on a connection.
///
/// It replaces NIO's llhttp-based decoder on the upstream side: that decoder needs a handler
/// that watches every outbound request part for the method (a HEAD response has no body), hands
/// each part through the pipeline boxed, and calls back per header fragment. Here the codec that
/// writes the request tells the parser its method, and a head that arrives whole (the common
/// case) is read in one pass over the bytes. Bodies are passed on as slices of what was read.
///
/// Strict where leniency would let a backend smuggle a second response or split one: CRLF line
/// ends only, no obs-fold, no control characters in values, no whitespace before a field's
/// colon, one Content-Length value (a repeated identical one is accepted), and not both
/// Transfer-Encoding and Content-Length.
struct HTTP1ResponseParser {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case headTooLarge
        case unexpectedResponse
        case truncated

        var description: String {
            switch self {
            case .malformed(let what): "malformed response from the backend: \(what)"
            case .headTooLarge: "the backend's response head is too large"
            case .unexpectedResponse: "the backend answered with no request outstanding"
            case .truncated: "the backend closed the connection in the middle of a response"
            }
        }
    }

    private enum State {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        /// The message is complete; `.end` goes out next, whatever the buffer holds.
        case ending
    }

    static let maxLineBytes = 8 * 1024

    let maxHeadBytes: Int
    private var state = State.head
    /// The method of the oldest request written and not yet answered; the proxy sends one at a
    /// time, and `laterMethods` holds any sent behind it.
    private var method: HTTPMethod?
    private var laterMethods: [HTTPMethod] = []

    init(maxHeadBytes: Int = 64 * 1024) {
        self.maxHeadBytes = maxHeadBytes
    }

    mutating func requestSent(_ method: HTTPMethod) {
        if self.method == nil { self.method = method } else { laterMethods.append(method) }
    }

    private mutating func answered() {
        method = laterMethods.isEmpty ? nil : laterMethods.removeFirst()
        state = .head
    }

    /// The next complete part `buffer` holds (moving its reader index past it), or nil when more
    /// bytes are needed; the bytes of an incomplete line or head stay unread.
    mutating func next(_ buffer: inout ByteBuffer) throws -> HTTPClientResponsePart? {
        while true {
            switch state {
            case .ending:
                answered()
                return .end(nil)
            case _ where buffer.readableBytes == 0:
                return nil
            case .head:
                return try parseHead(&buffer)
            case .body(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                state = remaining == slice.readableBytes ? .ending : .body(remaining: remaining - slice.readableBytes)
                return .body(slice)
            case .chunkSize:
                guard let size = try readChunkSize(&buffer) else { return nil }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                state = remaining == slice.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - slice.readableBytes)
                return .body(slice)
            case .chunkDataEnd:
                guard buffer.readableBytes >= 2 else { return nil }
                guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw Failure.malformed("chunk data not followed by CRLF") }
                state = .chunkSize
            case .trailers:
                guard let trailers = try readTrailers(&buffer) else { return nil }
                answered()
                return .end(trailers)
            case .untilClose:
                return .body(buffer.readSlice(length: buffer.readableBytes)!)
            }
        }
    }

    /// The connection closed: a body delimited by the close ends here (its `.end`); a body cut
    /// short is an error. Before a head, there is nothing to say here: the codec knows whether
    /// part of one had arrived, and a request never answered is the connection's close to report.
    mutating func connectionClosed() throws -> HTTPClientResponsePart? {
        switch state {
        case .head:
            return nil
        case .untilClose, .ending:
            answered()
            return .end(nil)
        default:
            throw Failure.truncated
        }
    }

    // MARK: Head

    /// The head, once all of it is here; what follows it is set up in `state`.
    private mutating func parseHead(_ buffer: inout ByteBuffer) throws -> HTTPClientResponsePart? {
        guard let headLength = buffer.withUnsafeReadableBytes({ Self.headLength(in: $0) }) else {
            if buffer.readableBytes > maxHeadBytes { throw Failure.headTooLarge }
            return nil
        }
        if headLength > maxHeadBytes { throw Failure.headTooLarge }
        guard let method else { throw Failure.unexpectedResponse }
        let parsed = try buffer.withUnsafeReadableBytes { bytes in
            var reader = HTTP1ResponseHeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<headLength]))
            return try reader.readHead()
        }
        buffer.moveReaderIndex(forwardBy: headLength)
        let status = parsed.head.status.code
        if status < 200 {
            // Interim: the final response to the same request follows. A 101 would switch
            // protocols, which the proxy never asks for (it does not forward Upgrade).
            if status == 101 { throw Failure.malformed("101 Switching Protocols without an upgrade request") }
            return .head(parsed.head)
        }
        if method == .HEAD || status == 204 || status == 304 {
            state = .ending
        } else if let chunked = parsed.fields.transferEncodingChunked {
            // RFC 9112 §6.3: both fields may mean a response split; refused, as llhttp does, rather
            // than forwarded with one of them removed.
            if parsed.fields.contentLength != nil { throw Failure.malformed("both Transfer-Encoding and Content-Length") }
            state = chunked ? .chunkSize : .untilClose
        } else if let length = parsed.fields.contentLength {
            state = length == 0 ? .ending : .body(remaining: length)
        } else {
            state = .untilClose
        }
        return .head(parsed.head)
    }

    /// The length of the head including its blank line, once all of it is here.
    private static func headLength(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 3
        while index < bytes.count {
            // Look at every fourth byte for LF, then check the four bytes that end there.
            let byte = bytes[index]
            if byte == 0x0A {
                if bytes[index - 1] == 0x0D, bytes[index - 2] == 0x0A, bytes[index - 3] == 0x0D { return index + 1 }
                index += 2
            } else if byte == 0x0D {
                index += 1
            } else {
                index += 4
            }
        }
        return nil
    }

    // MARK: Chunks

    private mutating func readChunkSize(_ buffer: inout ByteBuffer) throws -> Int? {
        let line = try buffer.withUnsafeReadableBytes { bytes -> (size: Int, length: Int)? in
            guard let end = try Self.lineEnd(in: bytes) else {
                if bytes.count > Self.maxLineBytes { throw Failure.malformed("chunk size line too long") }
                return nil
            }
            var size = 0
            var digits = 0
            var index = 0
            while index < end, let value = Self.hexValue(bytes[index]) {
                guard size <= (Int.max >> 4) else { throw Failure.malformed("chunk size too large") }
                size = size << 4 | value
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw Failure.malformed("chunk size missing") }
            // Chunk extensions are allowed and ignored; anything else after the size is not.
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index == end || bytes[index] == UInt8(ascii: ";") else { throw Failure.malformed("chunk size not hexadecimal") }
            for position in index..<end where bytes[position] < 0x20 && bytes[position] != 0x09 || bytes[position] == 0x7F {
                throw Failure.malformed("control character in a chunk extension")
            }
            return (size, end + 2)
        }
        guard let line else { return nil }
        buffer.moveReaderIndex(forwardBy: line.length)
        return line.size
    }

    /// Trailer fields up to and including the blank line; nil when not all here yet.
    private mutating func readTrailers(_ buffer: inout ByteBuffer) throws -> HTTPHeaders?? {
        let result = try buffer.withUnsafeReadableBytes { bytes -> (HTTPHeaders?, Int)? in
            guard bytes.count >= 2 else { return nil }
            if bytes[0] == 0x0D && bytes[1] == 0x0A { return (nil, 2) }
            guard let length = Self.headLength(in: bytes) else {
                if bytes.count > maxHeadBytes { throw Failure.headTooLarge }
                return nil
            }
            var reader = HTTP1ResponseHeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<length]))
            return (try reader.readFields().headers, length)
        }
        guard let (trailers, length) = result else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        return .some(trailers)
    }

    /// Index of the CR of the first CRLF; a bare LF is an error.
    private static func lineEnd(in bytes: UnsafeRawBufferPointer) throws -> Int? {
        guard let lf = bytes.firstIndex(of: 0x0A) else { return nil }
        guard lf > 0, bytes[lf - 1] == 0x0D else { throw Failure.malformed("line ends without CR") }
        return lf - 1
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
