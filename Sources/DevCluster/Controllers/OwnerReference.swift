import KubeModel

/// One entry of `metadata.ownerReferences`, as the garbage collector reads it.
struct OwnerReference: Sendable, Equatable {
    var apiVersion: String
    var kind: String
    var name: String
    var uid: String
    var controller: Bool
    var blockOwnerDeletion: Bool

    init?(_ value: JSONValue) {
        guard let uid = value["uid"]?.stringValue, !uid.isEmpty else { return nil }
        self.uid = uid
        apiVersion = value["apiVersion"]?.stringValue ?? ""
        kind = value["kind"]?.stringValue ?? ""
        name = value["name"]?.stringValue ?? ""
        controller = value["controller"]?.boolValue ?? false
        blockOwnerDeletion = value["blockOwnerDeletion"]?.boolValue ?? false
    }

    /// The references an object declares; entries without a uid identify nothing and are skipped.
    static func all(of object: JSONValue) -> [OwnerReference] {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap(OwnerReference.init)
    }

    /// `apps/v1` → ("apps", "v1"); `v1` → ("", "v1").
    var groupVersion: (group: String, version: String) {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : ("", parts.first ?? "")
    }
}

/// Where an object is stored: its collection and its key in it.
struct ObjectLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    var storageKey: StorageKey
    var objectKey: ObjectKey

    static func < (lhs: ObjectLocation, rhs: ObjectLocation) -> Bool {
        lhs.storageKey.description == rhs.storageKey.description
            ? lhs.objectKey < rhs.objectKey
            : lhs.storageKey.description < rhs.storageKey.description
    }

    var description: String { "\(storageKey) \(objectKey)" }
}
