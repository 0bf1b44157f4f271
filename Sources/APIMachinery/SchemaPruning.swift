import KubeModel

extension StructuralSchema {
    /// Drops the fields the schema does not specify, as the API server does before storing a
    /// custom resource, and returns the paths it dropped (sorted, e.g. `spec.foo`,
    /// `spec.items[0].bar`) so `fieldValidation=Strict` can reject them and `Warn` warn.
    /// `apiVersion`, `kind` and `metadata` stay at the root and in embedded resources, and
    /// nothing is dropped under `x-kubernetes-preserve-unknown-fields: true`.
    public func pruning(_ object: JSONValue) -> (pruned: JSONValue, unknownFields: [String]) {
        var pruner = SchemaPruner()
        var result = object
        pruner.prune(&result, root, isRoot: true)
        return (result, pruner.unknownFields.sorted())
    }
}

struct SchemaPruner {
    var unknownFields: [String] = []
    private var parentPath = ""
    private static let metaFields: Set<String> = ["apiVersion", "kind", "metadata"]

    private func child(_ key: String) -> String { parentPath.isEmpty ? key : "\(parentPath).\(key)" }

    private mutating func withPath(_ path: String, _ body: (inout SchemaPruner) -> Void) {
        let saved = parentPath
        parentPath = path
        body(&self)
        parentPath = saved
    }

    mutating func prune(_ value: inout JSONValue, _ schema: SchemaNode?, isRoot: Bool = false) {
        if let schema, schema.preserveUnknownFields {
            skipPrune(&value, schema, isRoot: isRoot)
            return
        }
        switch value {
        case .object(var members):
            guard let schema else {
                for key in members.keys { unknownFields.append(child(key)) }
                value = .object([:])
                return
            }
            let embedded = schema.embeddedResource || isRoot
            for key in Array(members.keys) {
                if embedded && Self.metaFields.contains(key) {
                    if key == "metadata" { pruneObjectMeta(&members[key]!) }
                    continue
                }
                if let property = schema.properties[key] {
                    withPath(child(key)) { $0.prune(&members[key]!, property) }
                } else if let additional = schema.additionalProperties {
                    var additionalSchema: SchemaNode?
                    if case .schema(let nested) = additional { additionalSchema = nested }
                    withPath(child(key)) { $0.prune(&members[key]!, additionalSchema) }
                } else {
                    if !Self.metaFields.contains(key) || !parentPath.isEmpty {
                        unknownFields.append(child(key))
                    }
                    members.removeValue(forKey: key)
                }
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices {
                withPath("\(parentPath)[\(index)]") { $0.prune(&items[index], schema?.items) }
            }
            value = .array(items)
        default:
            break
        }
    }

    /// The members of ObjectMeta; anything else in a resource's metadata is dropped.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    private mutating func pruneObjectMeta(_ metadata: inout JSONValue) {
        guard case .object(var members) = metadata else { return }
        for key in members.keys where !Self.objectMetaFields.contains(key) {
            unknownFields.append(child("metadata") + "." + key)
            members.removeValue(forKey: key)
        }
        metadata = .object(members)
    }

    /// Under preserve-unknown-fields: unknown members stay, known ones are still pruned inside.
    private mutating func skipPrune(_ value: inout JSONValue, _ schema: SchemaNode?, isRoot: Bool = false) {
        guard let schema else { return }
        switch value {
        case .object(var members):
            let embedded = schema.embeddedResource || isRoot
            for key in Array(members.keys) {
                if embedded && Self.metaFields.contains(key) {
                    if key == "metadata" { pruneObjectMeta(&members[key]!) }
                    continue
                }
                if let property = schema.properties[key] {
                    withPath(child(key)) { $0.prune(&members[key]!, property) }
                } else if case .schema(let additional)? = schema.additionalProperties {
                    withPath(child(key)) { $0.prune(&members[key]!, additional) }
                }
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices {
                withPath("\(parentPath)[\(index)]") { $0.skipPrune(&items[index], schema.items) }
            }
            value = .array(items)
        default:
            break
        }
    }
}
