/// core/v1 `Secret`: listener certificates live in `kubernetes.io/tls` Secrets.
public struct Secret: KubeObject {
    public static let tlsType = "kubernetes.io/tls"

    public var metadata: ObjectMeta
    public var type: String?
    /// Values are base64, as the API sends them.
    public var data: [String: String]?

    public init(metadata: ObjectMeta, type: String? = nil, data: [String: String]? = nil) {
        self.metadata = metadata
        self.type = type
        self.data = data
    }
}
