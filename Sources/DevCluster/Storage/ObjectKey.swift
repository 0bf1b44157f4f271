/// Where an object lives in its collection: namespace ("" when cluster-scoped) and name.
/// Ordered as etcd orders keys, so lists come back sorted by namespace, then name.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.namespace == rhs.namespace ? lhs.name < rhs.name : lhs.namespace < rhs.namespace
    }

    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}
