import Foundation
import KubeModel
import APIMachinery

/// The system-owned parts of `metadata` and the rules the API server applies to them on every write.
enum ObjectMetaRules {
    /// Fields a client may send but the server owns; kept from the stored object on update.
    static let systemFields = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"]

    static func timestamp(_ date: Date) -> String {
        RFC3339.format(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    static func metadata(_ object: JSONValue) -> [String: JSONValue] { object["metadata"]?.objectValue ?? [:] }

    static func name(_ object: JSONValue) -> String? { object[path: ["metadata", "name"]]?.stringValue }

    static func labels(_ object: JSONValue) -> [String: String] {
        guard let labels = object[path: ["metadata", "labels"]]?.objectValue else { return [:] }
        return labels.compactMapValues(\.stringValue)
    }

    static func finalizers(_ object: JSONValue) -> [String] {
        object[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func isDeleting(_ object: JSONValue) -> Bool {
        if let stamp = object[path: ["metadata", "deletionTimestamp"]], !stamp.isNull { return true }
        return false
    }

    /// Everything a spec change is measured on: the object without metadata and status.
    static func specPart(_ object: JSONValue) -> JSONValue {
        guard var fields = object.objectValue else { return object }
        fields["metadata"] = nil
        fields["status"] = nil
        fields["apiVersion"] = nil
        fields["kind"] = nil
        return .object(fields)
    }

    /// Objects equal but for resourceVersion and managedFields timestamps: a write that would change nothing.
    static func sameContent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        normalizedForComparison(a) == normalizedForComparison(b)
    }

    private static func normalizedForComparison(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy[path: ["metadata", "resourceVersion"]] = nil
        if let managed = copy[path: ["metadata", "managedFields"]]?.arrayValue {
            copy[path: ["metadata", "managedFields"]] = .array(managed.map { entry in
                var entry = entry
                entry["time"] = nil
                return entry
            })
        }
        return copy
    }
}
