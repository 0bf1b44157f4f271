import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one complete HTTP/1.1 message head (or trailer section) from bytes that end with its
/// blank line: the start line, the fields, and the two fields that frame the body. Strict where
/// leniency would let a peer smuggle a message or split one: every line ends with CRLF, no
/// obs-fold, no whitespace before a field's colon, no control characters in values, and one
/// Content-Length value (a list or repetition of the same number is accepted).
struct HTTP1HeadReader {
    struct Fields {
        var headers = HTTPHeaders()
        var contentLength = ContentLengthField()
        var transferEncoding = TransferEncodingField()

        /// How these fields frame the body: a length, chunked, until the close (a response whose
        /// final coding is not chunked), or neither (nil). Content-Length that is not one number,
        /// and both fields at once (RFC 9112 §6.3: a possible smuggling or splitting attempt),
        /// are refused; so is a request's final coding other than chunked.
        func bodyFraming(isRequest: Bool) throws -> HTTP1BodyReader.Framing? {
            if transferEncoding.isPresent {
                if contentLength.isPresent { throw HTTP1ParseError.malformed("both Transfer-Encoding and Content-Length") }
                if transferEncoding.lastIsChunked { return .chunked }
                if isRequest { throw HTTP1ParseError.malformed("Transfer-Encoding whose final coding is not chunked") }
                return .untilClose
            }
            if contentLength.invalid { throw HTTP1ParseError.malformed("Content-Length is not a number") }
            if contentLength.conflict { throw HTTP1ParseError.malformed("conflicting Content-Length values") }
            return contentLength.value.map { .length($0) }
        }
    }

    typealias Failure = HTTP1ParseError

    static let fieldsTheProxyAdds = 4

    private let bytes: UnsafeRawBufferPointer
    private let maxFields: Int
    private var index = 0

    init(bytes: UnsafeRawBufferPointer, maxFields: Int = .max) {
        self.bytes = bytes
        self.maxFields = maxFields
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason-phrase]`.
    mutating func readStatusLine() throws -> (HTTPVersion, HTTPResponseStatus) {
        guard let end = try nextLineEnd() else { throw Failure.malformed("no status line") }
        let version = try readVersion(upTo: end, followedBySpace: true)
        let status = try readStatus(upTo: end)
        index = end + 2
        return (version, status)
    }

    /// `method SP request-target SP HTTP/1.x`.
    mutating func readRequestLine() throws -> (HTTPMethod, String, HTTPVersion) {
        guard let end = try nextLineEnd() else { throw Failure.malformed("no request line") }
        var space = index
        while space < end, Self.isTokenByte(bytes[space]) { space += 1 }
        guard space > index, space < end, bytes[space] == 0x20 else { throw Failure.malformed("invalid method") }
        let method = HTTPMethod(rawValue: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<space]), as: UTF8.self))
        let targetStart = space + 1
        var targetEnd = targetStart
        // Printable ASCII, and raw UTF-8 some clients send; no space or control character.
        while targetEnd < end, bytes[targetEnd] > 0x20, bytes[targetEnd] != 0x7F { targetEnd += 1 }
        guard targetEnd > targetStart, targetEnd < end, bytes[targetEnd] == 0x20, end - targetEnd == 9 else {
            throw Failure.malformed("invalid request target")
        }
        index = targetEnd + 1
        let version = try readVersion(upTo: end, followedBySpace: false)
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[targetStart..<targetEnd]), as: UTF8.self)
        index = end + 2
        return (method, target, version)
    }

    mutating func readFields() throws -> Fields {
        var fields = Fields()
        // Sized once: the list would otherwise grow (and copy) three or four times for a
        // typical message. The room left over takes the fields the proxy adds to a request
        // (X-Forwarded-*, x-request-id) without growing it again.
        var list: [(String, String)] = []
        let lines = countLines()
        if lines - 1 > maxFields { throw Failure.headTooLarge }
        list.reserveCapacity(lines + Self.fieldsTheProxyAdds)
        while let end = try nextLineEnd() {
            if end == index {
                fields.headers = HTTPHeaders(list)
                return fields
            }
            try readField(upTo: end, into: &fields, list: &list)
            index = end + 2
        }
        throw Failure.malformed("head without its blank line")
    }

    /// The length of a head (or trailer section) including its blank line, once all of it is in
    /// `bytes`.
    static func completeLength(in bytes: UnsafeRawBufferPointer) -> Int? {
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

    /// Lines left from `index`, the blank one included.
    private func countLines() -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var position = index
        while position < bytes.count, let lf = memchr(base + position, 0x0A, bytes.count - position) {
            count += 1
            position = base.distance(to: UnsafeRawPointer(lf)) + 1
        }
        return count
    }

    /// The CR of the CRLF that ends the line starting at `index`. A CR anywhere else in a line is
    /// refused where the line is read (no name, value or reason phrase may hold one).
    private func nextLineEnd() throws -> Int? {
        guard index < bytes.count, let base = bytes.baseAddress,
              let lf = memchr(base + index, 0x0A, bytes.count - index) else { return nil }
        let position = base.distance(to: UnsafeRawPointer(lf))
        guard position > index, bytes[position - 1] == 0x0D else { throw Failure.malformed("line ends without CR") }
        return position - 1
    }

    /// `HTTP/1.0` or `HTTP/1.1`, then a space (status line) or the end of the line (request line).
    private mutating func readVersion(upTo end: Int, followedBySpace: Bool) throws -> HTTPVersion {
        guard end - index >= (followedBySpace ? 12 : 8), Self.matches(bytes, at: index, "HTTP/1."),
              bytes[index + 7] == UInt8(ascii: "0") || bytes[index + 7] == UInt8(ascii: "1"),
              followedBySpace ? bytes[index + 8] == 0x20 : index + 8 == end else { throw Failure.malformed("not HTTP/1.0 or HTTP/1.1") }
        let minor = Int(bytes[index + 7] - UInt8(ascii: "0"))
        index += followedBySpace ? 9 : 8
        return HTTPVersion(major: 1, minor: minor)
    }

    private mutating func readStatus(upTo end: Int) throws -> HTTPResponseStatus {
        var code = 0
        for offset in 0..<3 {
            let byte = bytes[index + offset]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw Failure.malformed("status code is not three digits") }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard code >= 100 else { throw Failure.malformed("status code below 100") }
        index += 3
        guard index < end else { return HTTPResponseStatus(statusCode: code) }
        guard bytes[index] == 0x20 else { throw Failure.malformed("status code is not three digits") }
        let reason = UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<end])
        for byte in reason where byte < 0x20 && byte != 0x09 || byte == 0x7F {
            throw Failure.malformed("control character in the reason phrase")
        }
        return HTTPResponseStatus(statusCode: code, reasonPhrase: String(decoding: reason, as: UTF8.self))
    }

    private func readField(upTo end: Int, into fields: inout Fields, list: inout [(String, String)]) throws {
        var colon = index
        while colon < end, bytes[colon] != UInt8(ascii: ":") {
            guard Self.isTokenByte(bytes[colon]) else {
                // Also catches obs-fold (a line that starts with whitespace) and whitespace
                // before the colon, which RFC 9112 §5.1 forbids.
                throw Failure.malformed("invalid field name")
            }
            colon += 1
        }
        guard colon < end, colon > index else { throw Failure.malformed("field line without a name and colon") }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let name = UnsafeRawBufferPointer(rebasing: bytes[index..<colon])
        let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
        for byte in value where byte < 0x20 && byte != 0x09 || byte == 0x7F {
            throw Failure.malformed("control character in a field value")
        }
        let valueText = String(decoding: value, as: UTF8.self)
        if HeaderNameMatching.equals(name, lowercased: "content-length".utf8) {
            fields.contentLength.add(valueText)
        } else if HeaderNameMatching.equals(name, lowercased: "transfer-encoding".utf8) {
            fields.transferEncoding.add(valueText)
        }
        list.append((String(decoding: name, as: UTF8.self), valueText))
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ text: StaticString) -> Bool {
        let expected = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        guard offset + expected.count <= bytes.count else { return false }
        for position in 0..<expected.count where bytes[offset + position] != expected[position] { return false }
        return true
    }

    /// tchar (RFC 9110 §5.6.2), as a bit per ASCII byte: `!#$%&'*+-.^_`|~`, digits and letters.
    private static let tokenBitsLow: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tokenBitsHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte < 64 ? (tokenBitsLow >> byte) & 1 == 1 : byte < 128 && (tokenBitsHigh >> (byte - 64)) & 1 == 1
    }
}
