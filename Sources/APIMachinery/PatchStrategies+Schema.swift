extension PatchStrategies {
    /// The strategies a custom resource's schema declares, for server-side apply:
    /// `x-kubernetes-list-type: map` lists are keyed by `x-kubernetes-list-map-keys`, `set` lists
    /// are sets, other lists atomic (the default for custom resources), and objects marked
    /// `x-kubernetes-map-type: atomic` are owned whole. `metadata` follows ObjectMeta.
    public init(schema: StructuralSchema) {
        var root = PatchStrategies.members(of: schema.root)
        root["metadata"] = Field(element: PatchStrategies.objectMeta)
        self.init(fields: root, otherMembers: PatchStrategies.otherMembers(of: schema.root))
    }

    private static func members(of node: SchemaNode) -> [String: Field] {
        var fields: [String: Field] = [:]
        for (name, property) in node.properties {
            fields[name] = field(for: property)
        }
        if node.embeddedResource {
            fields["metadata"] = Field(element: objectMeta)
        }
        return fields
    }

    private static func otherMembers(of node: SchemaNode) -> Field? {
        node.additionalPropertiesSchema.map(field(for:))
    }

    private static func field(for node: SchemaNode) -> Field {
        if node.type == "array" {
            let element = node.items.map { PatchStrategies(fields: members(of: $0), otherMembers: otherMembers(of: $0)) }
            switch node.listType {
            case "map": return Field(.merge, mergeKeys: node.listMapKeys, element: element)
            case "set": return Field(.merge, element: element)
            default: return Field(element: element)
            }
        }
        return Field(element: PatchStrategies(fields: members(of: node), otherMembers: otherMembers(of: node)),
                     isAtomic: node.mapType == "atomic")
    }
}
