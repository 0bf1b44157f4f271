/// core/v1 `Namespace`: its labels decide `allowedRoutes` selectors.
public struct Namespace: KubeObject {
    public var metadata: ObjectMeta

    public init(metadata: ObjectMeta) { self.metadata = metadata }

    /// Every namespace carries its own name as this label (since Kubernetes 1.22).
    public static let nameLabel = "kubernetes.io/metadata.name"
}
