/// The protobuf wire types Kubernetes messages use.
enum WireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Reads protobuf wire-format values from a window of a byte array, never past its end.
struct WireReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .truncated("a varint") }
            let byte = bytes[position]
            position += 1
            // The tenth byte may only carry the top bit of a 64-bit value.
            if shift == 63 && byte > 1 { throw .malformed("varint longer than 64 bits at byte \(position - 1)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a field key: (field number, wire type).
    mutating func readKey() throws(ProtobufDecodingError) -> (number: Int, wireType: WireType) {
        let offset = position
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 0x1FFF_FFFF else { throw .malformed("invalid field number \(number) at byte \(offset)") }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw .malformed("invalid wire type \(key & 7) at byte \(offset)")
        }
        return (Int(number), wireType)
    }

    /// Reads a length prefix and returns the range of the value it announces, moving past it.
    mutating func readLengthDelimited() throws(ProtobufDecodingError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw .truncated("a length-delimited value of \(length) bytes") }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated("a 64-bit value") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated("a 32-bit value") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// Skips a value of a field the descriptor does not know, as protobuf readers must.
    mutating func skip(_ wireType: WireType, fieldNumber: Int) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        case .startGroup, .endGroup:
            // Groups are proto1-era; no Kubernetes message has one.
            throw .malformed("unexpected group in field \(fieldNumber) at byte \(position)")
        }
    }

    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[range] }
    var storage: [UInt8] { bytes }
}
