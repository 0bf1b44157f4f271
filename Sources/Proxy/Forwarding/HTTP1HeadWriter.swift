/// Copies the pieces of an HTTP/1 message head into memory reserved for all of it, so a head is
/// one ByteBuffer write: a write per piece (four per field) costs more in bounds and uniqueness
/// checks than the copying does. The caller reserves an upper bound of the head's size.
struct HTTP1HeadWriter {
    private let base: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ base: UnsafeMutableRawBufferPointer) { self.base = base }

    mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { copy(UnsafeRawBufferPointer($0)) }
    }

    mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
    }

    /// `name: value` and its CRLF.
    mutating func putField(_ name: String, _ value: String) {
        put(name)
        put(": ")
        put(value)
        put("\r\n")
    }

    mutating func putDecimal(_ value: Int) {
        var divisor = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            base[count] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
            count += 1
            divisor /= 10
        }
    }

    private mutating func copy(_ bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= base.count, "message head larger than its reservation")
        UnsafeMutableRawBufferPointer(rebasing: base[count...]).copyMemory(from: bytes)
        count += bytes.count
    }
}
