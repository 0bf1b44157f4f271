/// runtime.Unknown, the wrapper around every protobuf object on the wire.
struct Envelope {
    var apiVersion = ""
    var kind = ""
    var raw: Range<Int> = 0..<0

    init(_ bytes: [UInt8], range: Range<Int>) throws(ProtobufDecodingError) {
        var reader = WireReader(bytes, range: range)
        var contentEncoding = ""
        var contentType = ""
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readKey()
            guard (1...4).contains(number) else {
                try reader.skip(wireType, fieldNumber: number)
                continue
            }
            guard wireType == .lengthDelimited else {
                throw .malformed("envelope field \(number) has wire type \(wireType.rawValue), expected 2")
            }
            let value = try reader.readLengthDelimited()
            switch number {
            case 1:
                var typeMeta = WireReader(bytes, range: value)
                while !typeMeta.isAtEnd {
                    let (field, fieldWireType) = try typeMeta.readKey()
                    if (field == 1 || field == 2) && fieldWireType == .lengthDelimited {
                        let member = text(try typeMeta.readLengthDelimited())
                        if field == 1 { apiVersion = member } else { kind = member }
                    } else {
                        try typeMeta.skip(fieldWireType, fieldNumber: field)
                    }
                }
            case 2: raw = value
            case 3: contentEncoding = text(value)
            default: contentType = text(value)
            }
        }
        guard contentEncoding.isEmpty else {
            throw ProtobufDecodingError(
                code: .unsupportedEncoding, reason: "protobuf content encoding \"\(contentEncoding)\" is not supported")
        }
        guard contentType.isEmpty || contentType == KubeProtobuf.mediaType else {
            throw ProtobufDecodingError(
                code: .unsupportedEncoding, reason: "envelope carries \"\(contentType)\", not protobuf")
        }
        guard !apiVersion.isEmpty, !kind.isEmpty else {
            throw .malformed("protobuf envelope has no apiVersion and kind")
        }
    }
}
