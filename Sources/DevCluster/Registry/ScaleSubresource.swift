import KubeModel

/// Where a resource keeps what its `scale` subresource shows (`autoscaling/v1` Scale): built-in
/// workloads use `spec.replicas`, `status.replicas` and their `spec.selector`; a CRD names the
/// paths in `subresources.scale`.
public struct ScaleSubresource: Sendable {
    /// Path segments from `.spec.replicas`-style JSON paths (simple dotted fields only, as the CRD API requires).
    public var specReplicas: [String]
    public var statusReplicas: [String]
    public var labelSelector: [String]?
    /// Built-in kinds keep a `metav1.LabelSelector` there; CRDs keep the serialized string.
    public var selectorIsStructured: Bool

    public static let workload = ScaleSubresource(specReplicas: ["spec", "replicas"], statusReplicas: ["status", "replicas"],
                                                  labelSelector: ["spec", "selector"], selectorIsStructured: true)

    /// From a CRD version's `subresources.scale`; nil when absent or its paths are not dotted fields.
    public init?(crd scale: JSONValue?) {
        guard let scale, let spec = scale["specReplicasPath"]?.stringValue.flatMap(Self.segments),
              let status = scale["statusReplicasPath"]?.stringValue.flatMap(Self.segments) else { return nil }
        specReplicas = spec
        statusReplicas = status
        labelSelector = scale["labelSelectorPath"]?.stringValue.flatMap(Self.segments)
        selectorIsStructured = false
    }

    init(specReplicas: [String], statusReplicas: [String], labelSelector: [String]?, selectorIsStructured: Bool) {
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        self.labelSelector = labelSelector
        self.selectorIsStructured = selectorIsStructured
    }

    /// `.spec.replicas` → `["spec", "replicas"]`.
    static func segments(_ path: String) -> [String]? {
        guard path.hasPrefix("."), path.count > 1 else { return nil }
        let parts = path.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return parts.contains(where: \.isEmpty) ? nil : parts
    }
}
