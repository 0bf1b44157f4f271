/// The parts of `metadata` a controller reads. Fields it does not model (managedFields and the
/// like) are not kept here: status is written back by editing the object's JSON, so nothing the
/// typed view leaves out is ever lost.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: String?
    public var deletionTimestamp: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    public var finalizers: [String]?

    public init(
        name: String, namespace: String? = nil, uid: String? = nil, resourceVersion: String? = nil,
        generation: Int64? = nil, creationTimestamp: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil, ownerReferences: [OwnerReference]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
    }

    enum CodingKeys: String, CodingKey {
        case name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp
        case labels, annotations, ownerReferences, finalizers
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // `generateName` objects are read only after the server named them.
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        uid = try c.decodeIfPresent(String.self, forKey: .uid)
        resourceVersion = try c.decodeIfPresent(String.self, forKey: .resourceVersion)
        generation = try c.decodeIfPresent(Int64.self, forKey: .generation)
        creationTimestamp = try c.decodeIfPresent(String.self, forKey: .creationTimestamp)
        deletionTimestamp = try c.decodeIfPresent(String.self, forKey: .deletionTimestamp)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences)
        finalizers = try c.decodeIfPresent([String].self, forKey: .finalizers)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects: the informer cache key.
    public var key: String { namespace.map { "\($0)/\(name)" } ?? name }
    /// The generation conditions report as `observedGeneration` (0 when the server sent none).
    public var observedGeneration: Int64 { generation ?? 0 }
    public func label(_ key: String) -> String? { labels?[key] }
    public func annotation(_ key: String) -> String? { annotations?[key] }
}

/// `metav1.OwnerReference`: who garbage-collects an object.
public struct OwnerReference: Codable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}
