import KubeModel

/// The rules a CustomResourceDefinition's schema must follow beyond being structural
/// (apiextensions' ValidateCustomResourceDefinitionOpenAPISchema, without CEL), per node.
enum CRDSchemaRules {
    static func check(_ node: SchemaNode, path: String, into errors: inout [FieldError]) {
        if node.uniqueItems {
            errors.append(.forbidden("\(path).uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
        }
        if let additional = node.additionalProperties, !node.properties.isEmpty {
            if case .allowed(true) = additional {} else {
                errors.append(.forbidden("\(path).additionalProperties", "additionalProperties and properties are mutual exclusive"))
            }
        }
        if node.type == "null" {
            errors.append(.forbidden("\(path).type", "type cannot be set to null, use nullable as an alternative"))
        }
        if node.raw["x-kubernetes-preserve-unknown-fields"] == .bool(false) {
            errors.append(.invalid("\(path).x-kubernetes-preserve-unknown-fields", false, "must be true or undefined"))
        }
        let type = node.type ?? ""
        if let mapType = node.mapType {
            if type != "object" {
                errors.append(type.isEmpty
                    ? .required("\(path).type", "must be object if x-kubernetes-map-type is specified")
                    : .invalid("\(path).type", .string(type), "must be object if x-kubernetes-map-type is specified"))
            }
            if mapType != "atomic" && mapType != "granular" {
                errors.append(.notSupported("\(path).x-kubernetes-map-type", .string(mapType), supported: ["atomic", "granular"]))
            }
        }
        if let listType = node.listType {
            if type != "array" {
                errors.append(type.isEmpty
                    ? .required("\(path).type", "must be array if x-kubernetes-list-type is specified")
                    : .invalid("\(path).type", .string(type), "must be array if x-kubernetes-list-type is specified"))
            }
            if !["atomic", "set", "map"].contains(listType) {
                errors.append(.notSupported("\(path).x-kubernetes-list-type", .string(listType), supported: ["atomic", "set", "map"]))
            }
        }
        if !node.listMapKeys.isEmpty {
            if let listType = node.listType {
                if listType != "map" {
                    errors.append(.invalid("\(path).x-kubernetes-list-type", .string(listType), "must be map if x-kubernetes-list-map-keys is non-empty"))
                }
            } else {
                errors.append(.required("\(path).x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty"))
            }
        }
        if node.listType == "map" {
            checkMapList(node, path: path, into: &errors)
        }
    }

    private static func checkMapList(_ node: SchemaNode, path: String, into errors: inout [FieldError]) {
        let keys: JSONValue = .array(node.listMapKeys.map { .string($0) })
        if node.listMapKeys.isEmpty {
            errors.append(.required("\(path).x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"))
        }
        guard let items = node.items else {
            errors.append(.required("\(path).items", "must have a schema if x-kubernetes-list-type is map"))
            return
        }
        guard items.type == "object" else {
            errors.append(.invalid("\(path).items.type", .string(items.type ?? ""), "must be object if parent array's x-kubernetes-list-type is map"))
            return
        }
        var seen = Set<String>()
        for key in node.listMapKeys {
            if let property = items.properties[key] {
                if property.type == "array" || property.type == "object" {
                    errors.append(.invalid("\(path).items.properties[\(key)].type", "object",
                                           "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                }
            } else {
                errors.append(.invalid("\(path).x-kubernetes-list-map-keys", keys, "entries must all be names of item properties"))
            }
            if !seen.insert(key).inserted {
                errors.append(.invalid("\(path).x-kubernetes-list-map-keys", keys, "must not contain duplicate entries"))
            }
        }
    }
}
