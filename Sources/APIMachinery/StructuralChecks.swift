import KubeModel

/// The rules that make a schema structural (apiextensions' ValidateStructural), plus the
/// CustomResourceDefinition rules about the same keywords, with the API server's messages.
enum StructuralChecks {
    enum Level { case root, item, field }

    static func check(_ root: SchemaNode, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        invariants(root, level: .root, path: path, into: &errors)
        // The API server sorts these by message so the list is stable.
        return errors.sorted { $0.message < $1.message }
    }

    private static func invariants(_ node: SchemaNode, level: Level, path: String, into errors: inout [FieldError]) {
        if node.type == "array" && node.items == nil {
            errors.append(.required("\(path).items", "must be specified"))
        }
        if let items = node.items {
            invariants(items, level: .item, path: "\(path).items", into: &errors)
        }
        for name in node.properties.keys.sorted() {
            invariants(node.properties[name]!, level: .field, path: "\(path).properties[\(name)]", into: &errors)
        }
        if let additional = node.additionalProperties {
            if level == .root {
                errors.append(.forbidden("\(path).additionalProperties", "must not be used at the root"))
            }
            if case .schema(let schema) = additional {
                invariants(schema, level: .field, path: "\(path).additionalProperties", into: &errors)
            }
        }
        CRDSchemaRules.check(node, path: path, into: &errors)
        if node.intOrString && node.preserveUnknownFields {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", true, "must be false if x-kubernetes-int-or-string is true"))
        }
        if node.intOrString && node.embeddedResource {
            errors.append(.invalid("\(path).x-kubernetes-embedded-resource", true, "must be false if x-kubernetes-int-or-string is true"))
        }
        // `anyOf: [{type: integer}, {type: string}]` is how generators spell int-or-string; the
        // API server accepts it directly or as the first allOf entry.
        if !isIntOrStringAnyOf(node.anyOf) {
            for (index, schema) in node.anyOf.enumerated() {
                valueValidation(schema, path: "\(path).anyOf[\(index)]", into: &errors)
            }
        }
        for (index, schema) in node.allOf.enumerated() {
            valueValidation(schema, path: "\(path).allOf[\(index)]", into: &errors, skipAnyOf: index == 0 && isIntOrStringAnyOf(schema.anyOf))
        }
        for (index, schema) in node.oneOf.enumerated() {
            valueValidation(schema, path: "\(path).oneOf[\(index)]", into: &errors)
        }
        if let not = node.not {
            valueValidation(not, path: "\(path).not", into: &errors)
        }

        let type = node.type ?? ""
        if node.embeddedResource && type != "object" {
            if type.isEmpty {
                errors.append(.required("\(path).type", "must be object if x-kubernetes-embedded-resource is true"))
            } else {
                errors.append(.invalid("\(path).type", .string(type), "must be object if x-kubernetes-embedded-resource is true"))
            }
        } else if type.isEmpty && !node.intOrString && !node.preserveUnknownFields {
            switch level {
            case .root: errors.append(.required("\(path).type", "must not be empty at the root"))
            case .item: errors.append(.required("\(path).type", "must not be empty for specified array items"))
            case .field: errors.append(.required("\(path).type", "must not be empty for specified object fields"))
            }
        }
        if node.embeddedResource && node.additionalProperties != nil {
            errors.append(.forbidden("\(path).additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"))
        }
        if level == .root && !type.isEmpty && type != "object" {
            errors.append(.invalid("\(path).type", .string(type), "must be object at the root"))
        }
        let checkMetadata = level == .root || node.embeddedResource
        if checkMetadata {
            for name in ["kind", "apiVersion"] {
                if let property = node.properties[name], property.type != "string" {
                    errors.append(.invalid("\(path).properties[\(name)].type", .string(property.type ?? ""), "must be string"))
                }
            }
        }
        if let metadata = node.properties["metadata"] {
            let metadataPath = "\(path).properties[metadata]"
            if checkMetadata && metadata.type != "object" {
                errors.append(.invalid("\(metadataPath).type", .string(metadata.type ?? ""), "must be object"))
            }
            if level == .root {
                // Only name and generateName may be constrained; everything else about
                // metadata is the server's.
                let allowed: Set<String> = ["type", "properties", "description", "default"]
                let constrainsOnlyNames = Set(metadata.properties.keys).isSubset(of: ["name", "generateName"])
                if !constrainsOnlyNames || !Set(metadata.raw.keys).isSubset(of: allowed) {
                    errors.append(.forbidden(metadataPath, "must not specify anything other than name and generateName, but metadata is implicitly specified"))
                }
            }
        }
        if node.embeddedResource && !node.preserveUnknownFields && node.properties.isEmpty {
            errors.append(.required("\(path).properties", "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
        }
    }

    /// Inside allOf/anyOf/oneOf/not only value validations are allowed; the shape of the data
    /// (types, defaults, extensions) must come from the structural part.
    private static func isIntOrStringAnyOf(_ list: [SchemaNode]) -> Bool {
        list.count == 2 && list[0].raw == ["type": "integer"] && list[1].raw == ["type": "string"]
    }

    private static func valueValidation(_ node: SchemaNode, path: String, into errors: inout [FieldError], skipAnyOf: Bool = false) {
        if node.type != nil { errors.append(.forbidden("\(path).type", "must be empty to be structural")) }
        if node.additionalProperties != nil { errors.append(.forbidden("\(path).additionalProperties", "must be undefined to be structural")) }
        if node.defaultValue != nil { errors.append(.forbidden("\(path).default", "must be undefined to be structural")) }
        if node.raw["title"] != nil { errors.append(.forbidden("\(path).title", "must be empty to be structural")) }
        if node.raw["description"] != nil { errors.append(.forbidden("\(path).description", "must be empty to be structural")) }
        if node.nullable { errors.append(.forbidden("\(path).nullable", "must be false to be structural")) }
        if node.preserveUnknownFields { errors.append(.forbidden("\(path).x-kubernetes-preserve-unknown-fields", "must be false to be structural")) }
        if node.embeddedResource { errors.append(.forbidden("\(path).x-kubernetes-embedded-resource", "must be false to be structural")) }
        if node.intOrString { errors.append(.forbidden("\(path).x-kubernetes-int-or-string", "must be false to be structural")) }
        if !node.listMapKeys.isEmpty { errors.append(.forbidden("\(path).x-kubernetes-list-map-keys", "must be empty to be structural")) }
        if node.listType != nil { errors.append(.forbidden("\(path).x-kubernetes-list-type", "must be undefined to be structural")) }
        if node.mapType != nil { errors.append(.forbidden("\(path).x-kubernetes-map-type", "must be undefined to be structural")) }
        if node.properties["metadata"] != nil { errors.append(.forbidden("\(path).properties[metadata]", "must not be specified in a nested context")) }
        for name in node.properties.keys.sorted() {
            valueValidation(node.properties[name]!, path: "\(path).properties[\(name)]", into: &errors)
        }
        if let items = node.items { valueValidation(items, path: "\(path).items", into: &errors) }
        for (keyword, list) in [("allOf", node.allOf), ("anyOf", skipAnyOf ? [] : node.anyOf), ("oneOf", node.oneOf)] {
            for (index, schema) in list.enumerated() {
                valueValidation(schema, path: "\(path).\(keyword)[\(index)]", into: &errors)
            }
        }
        if let not = node.not { valueValidation(not, path: "\(path).not", into: &errors) }
    }
}
