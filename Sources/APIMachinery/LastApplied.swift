import KubeModel

/// How server-side apply cooperates with `kubectl apply`'s client-side record, the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation.
enum LastApplied {
    static let annotation = "kubectl.kubernetes.io/last-applied-configuration"
    static let kubectlManager = "kubectl"

    /// The fields the annotation sets whose live values still match it; nil without one.
    static func unchangedFields(of live: JSONValue, shape: ApplyShape) -> FieldSet? {
        guard let text = live[path: ["metadata", "annotations", annotation]]?.stringValue, !text.isEmpty,
              let lastApplied = try? JSONValue(parsing: text),
              lastApplied["apiVersion"] == live["apiVersion"] else { return nil }
        let liveObject = ManagedFields.withoutManagedFields(live)
        let comparison = ApplyComparison(from: lastApplied, to: liveObject, shape: shape)
        return ApplyFieldSetBuilder.fieldSet(of: lastApplied, shape: shape)
            .difference(comparison.modified).difference(comparison.added).difference(comparison.removed)
    }

    /// When the object keeps the annotation, server-side applies by kubectl rewrite it with the
    /// applied configuration, so a later client-side apply starts from the right place.
    static func refreshing(_ object: JSONValue, with applied: JSONValue) -> JSONValue {
        guard let current = object[path: ["metadata", "annotations", annotation]]?.stringValue, !current.isEmpty else { return object }
        var record = ManagedFields.withoutManagedFields(applied)
        if var annotations = record[path: ["metadata", "annotations"]]?.objectValue {
            annotations.removeValue(forKey: annotation)
            record[path: ["metadata", "annotations"]] = annotations.isEmpty ? nil : .object(annotations)
        }
        var result = object
        // Go's JSON encoder ends the document with a newline, and so does the annotation.
        result[path: ["metadata", "annotations", annotation]] = .string(GoFormatting.json(record) + "\n")
        return result
    }
}
