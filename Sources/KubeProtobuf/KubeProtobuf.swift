import KubeModel

/// Decodes the protobuf bodies Kubernetes clients send (`Content-Type: application/vnd.kubernetes.protobuf`)
/// into the JSON objects the same requests would carry as `application/json`.
///
/// Driven by descriptor tables generated from the `generated.proto` and Go type files of k8s.io/api
/// and k8s.io/apimachinery (see `Generator/generate-descriptors.py`).
public enum KubeProtobuf {
    /// The media type of Kubernetes protobuf bodies.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

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
        // DeleteOptions are registered in every group version (a DELETE body carries the resource's).
        let rootName = envelope.kind == "DeleteOptions" ? "meta.DeleteOptions"
            : table.roots[DescriptorTable.rootKey(apiVersion: envelope.apiVersion, kind: envelope.kind)]
        guard let root = rootName else {
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
