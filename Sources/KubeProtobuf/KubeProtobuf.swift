import KubeModel

/// Decodes the protobuf bodies Kubernetes clients send (`Content-Type: application/vnd.kubernetes.protobuf`)
/// into the JSON objects the same requests would carry as `application/json`.
///
/// Driven by descriptor tables generated from the `generated.proto` and Go type files of k8s.io/api
/// and k8s.io/apimachinery (see `Generator/generate-descriptors.py`).
public enum KubeProtobuf {
    /// The four bytes every Kubernetes protobuf body starts with.
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]  // "k8s\0"

    /// Decodes a Kubernetes protobuf envelope — `k8s\0` then runtime.Unknown {typeMeta {apiVersion = 1,
    /// kind = 2} = 1, raw = 2, contentEncoding = 3, contentType = 4} — into the JSON object of the
    /// same request: `apiVersion` and `kind` set, members named and shaped as Kubernetes JSON
    /// (omitempty, int-or-string, quantities and times as strings, `[]byte` as base64).
    public static func decode(_ bytes: [UInt8]) throws(ProtobufDecodingError) -> JSONValue {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw ProtobufDecodingError(
                code: .badMagic, reason: "body does not start with the Kubernetes protobuf magic \"k8s\\0\"")
        }
        let envelope = try Envelope(bytes, range: magic.count..<bytes.count)
        let table = DescriptorTable.shared
        guard let root = table.roots[DescriptorTable.rootKey(apiVersion: envelope.apiVersion, kind: envelope.kind)] else {
            throw ProtobufDecodingError(
                code: .unsupportedKind,
                reason: "protobuf is not supported for \(envelope.apiVersion) \(envelope.kind); send it as application/json")
        }
        var object = try MessageDecoder(table: table, bytes: bytes).decodeObject(root, in: envelope.raw)
        object["apiVersion"] = .string(envelope.apiVersion)
        object["kind"] = .string(envelope.kind)
        return .object(object)
    }

    /// The kinds this decoder knows; any other kind throws `.unsupportedKind`.
    public static var supportedKinds: [(group: String, version: String, kind: String)] {
        DescriptorTable.generatedRoots.map { root in
            let gvk = GroupVersionKind(apiVersion: root.apiVersion, kind: root.kind)
            return (gvk.group, gvk.version, gvk.kind)
        }
    }
}

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
        guard contentType.isEmpty || contentType == "application/vnd.kubernetes.protobuf" else {
            throw ProtobufDecodingError(
                code: .unsupportedEncoding, reason: "envelope carries \"\(contentType)\", not protobuf")
        }
        guard !apiVersion.isEmpty, !kind.isEmpty else {
            throw .malformed("protobuf envelope has no apiVersion and kind")
        }
    }
}
