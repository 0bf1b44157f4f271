import KubeModel

/// Reads of `metadata` on an unstructured object.
extension JSONValue {
    public var metaName: String? { self[path: ["metadata", "name"]]?.stringValue }
    public var metaNamespace: String? { self[path: ["metadata", "namespace"]]?.stringValue }
    public var metaResourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
    public var metaUID: String? { self[path: ["metadata", "uid"]]?.stringValue }
    public var metaGeneration: Int64? { self[path: ["metadata", "generation"]]?.intValue }
    public var metaLabels: [String: String] {
        guard let labels = self[path: ["metadata", "labels"]]?.objectValue else { return [:] }
        return labels.compactMapValues(\.stringValue)
    }

    /// The cache key client-go uses: `namespace/name`, or `name` for cluster-scoped objects.
    public var objectKey: String {
        let name = metaName ?? ""
        if let namespace = metaNamespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }
}
