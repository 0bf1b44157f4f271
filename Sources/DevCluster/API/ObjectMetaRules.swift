import Foundation
import KubeModel
import APIMachinery

/// The system-owned parts of `metadata` and the rules the API server applies to them on every write.
enum ObjectMetaRules {
    /// Fields a client may send but the server owns; kept from the stored object on update.
    static let systemFields = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"]

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
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

    /// Validation of metadata common to every kind: name (or generateName), labels, annotations, finalizers.
    static func validate(_ object: JSONValue, definition: ResourceDefinition) -> [FieldError] {
        var errors: [FieldError] = []
        let meta = metadata(object)
        if let name = meta["name"]?.stringValue, !name.isEmpty {
            let problems = nameRule(definition)(name)
            for problem in problems {
                errors.append(FieldError(kind: .invalid, field: "metadata.name", badValue: .string(name), detail: problem))
            }
        } else {
            errors.append(FieldError(kind: .required, field: "metadata.name", badValue: nil,
                                     detail: "name or generateName is required"))
        }
        errors += NameValidation.validateLabels(meta["labels"], field: "metadata.labels")
        errors += NameValidation.validateAnnotations(meta["annotations"], field: "metadata.annotations")
        if let finalizers = meta["finalizers"]?.arrayValue {
            for (index, finalizer) in finalizers.enumerated() {
                guard let text = finalizer.stringValue, !text.isEmpty else {
                    errors.append(FieldError(kind: .invalid, field: "metadata.finalizers[\(index)]", badValue: finalizer,
                                             detail: "name part must be non-empty"))
                    continue
                }
                if !text.contains("/"), !["kubernetes", "orphan", "foregroundDeletion"].contains(text) {
                    // The real server only warns for unqualified finalizer names; they are accepted.
                    continue
                }
            }
        }
        return errors
    }

    /// Which name rule a kind uses: most use a DNS-1123 subdomain, some a label.
    static func nameRule(_ definition: ResourceDefinition) -> (String) -> [String] {
        switch (definition.group, definition.resource) {
        case ("", "namespaces"), ("", "services"):
            return NameValidation.dns1123Label
        case ("rbac.authorization.k8s.io", _):
            // RBAC names are path segments: anything without "/" or "%", not "." or "..".
            return { name in
                if name == "." || name == ".." { return ["may not be '\(name)'"] }
                if name.contains("/") || name.contains("%") { return ["may not contain '/' or '%'"] }
                return []
            }
        default:
            return NameValidation.dns1123Subdomain
        }
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
